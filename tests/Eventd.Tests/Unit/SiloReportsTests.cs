using System.Net;
using Eventd.Grains.Interfaces.Telemetry;
using Eventd.Grains.Telemetry;

namespace Eventd.Tests.Unit;

/// <summary>Which silos' reports count towards the cluster's figures.</summary>
public sealed class SiloReportsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SiloAddress One = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Two = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);

    private static MetricsSnapshot Fired(long fires) => MetricsSnapshot.Empty with { Fires = fires };

    private static bool NoneDead(SiloAddress _) => false;

    [Fact]
    public void A_report_counts_until_just_before_60_s_of_silence_and_not_at_60_s()
    {
        var reports = new SiloReports();
        reports.Record(One, Fired(1), Start);

        Assert.Single(reports.Live(Start + TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(1), NoneDead));
        Assert.Empty(reports.Live(Start + TimeSpan.FromSeconds(60), NoneDead));
    }

    [Fact]
    public void A_silo_the_membership_holds_dead_drops_out_at_once()
    {
        var reports = new SiloReports();
        reports.Record(One, Fired(1), Start);
        reports.Record(Two, Fired(2), Start);

        var live = reports.Live(Start, silo => silo.Equals(One));

        Assert.Equal(2, Assert.Single(live).Fires);
    }

    [Fact]
    public void A_restarted_silo_is_another_silo_and_its_old_self_drops_out_when_dead()
    {
        var reports = new SiloReports();
        var restarted = SiloAddress.New(One.Endpoint, 2);
        reports.Record(One, Fired(7), Start);

        reports.Record(restarted, Fired(1), Start + TimeSpan.FromSeconds(5));

        Assert.Equal(2, reports.Live(Start + TimeSpan.FromSeconds(5), NoneDead).Length);
        Assert.Equal(1, Assert.Single(reports.Live(Start + TimeSpan.FromSeconds(5), silo => silo.Equals(One))).Fires);
    }
}
