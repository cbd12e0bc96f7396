using System.Globalization;

namespace Eventd.Benchmarks;

/// <summary>The command line: sizes of each phase and where the cluster is.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        Eventd benchmark: create rate, fire rate and lateness, memory per pending event, failover,
        beside raw HTTP to the same receiver and Hangfire 1.8 on the same Redis.

        usage: dotnet tests/Eventd.Benchmarks/bin/Release/net10.0/Eventd.Benchmarks.dll [options]

          --quick               a run under 2 minutes: 2,000 creates, 1,000 fires, 20,000 pending,
                                500 failover events
          --creates N           events created through POST /eventd/v1/events (default 20000); also
                                the Hangfire jobs scheduled and the raw HTTP requests sent
          --fires N             events due across the 10 s fire window (default: --creates)
          --pending M           events held pending (due in a day) for the memory figures (default 200000)
          --concurrency C       concurrent clients (default 64)
          --failover-events N   events due 5-15 s ahead when a silo is killed (default 2000)
          --gateway URL         use a running cluster (its silos must allow webhooks to 127.0.0.1, as
                                the Development environment does); the pending-memory and failover
                                phases need process control and are skipped
          --redis HOST:PORT     with --gateway: the Redis for the Hangfire peer (keys under its own
                                prefix, deleted afterwards); default a private redis-server
          --hangfire-poll-ms N  Hangfire's SchedulePollingInterval (default 0, the minimum it accepts)
          --skip-hangfire       leave the Hangfire peer out
          --faults-only         only the fault phases (SIGKILL, SIGTERM, Redis pause): the recovery
                                figures in about a minute
          --soak MINUTES        instead of the phases: a soak of --rate events a second, each due within
                                10 s, for MINUTES, on a silo keeping settled events --soak-retention
                                seconds; samples Redis memory and keys, RSS, deliveries/s, lateness
                                p99 and lost fires every 30 s, and says whether Redis memory levelled off
          --rate R              the soak's events per second (default 200)
          --soak-retention S    the soak silo's Eventd:Retention:Settled in seconds (default 60; dead
                                letters twice that)
          --out FILE            also write the figures as JSON
          --keep-logs           keep the work directory with every process's log (one file per
                                process started; kept anyway when the run fails)
          --help                this text
        """;

    public int Creates { get; private set; } = 20_000;
    public int Fires { get; private set; }
    public int Pending { get; private set; } = 200_000;
    public int Concurrency { get; private set; } = 64;
    public int FailoverEvents { get; private set; } = 2_000;
    public bool Quick { get; private set; }
    public Uri? Gateway { get; private set; }
    public string? Redis { get; private set; }
    public int HangfirePollMs { get; private set; }
    public bool SkipHangfire { get; private set; }
    public bool FaultsOnly { get; private set; }
    public string? Out { get; private set; }
    public bool KeepLogs { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Minutes of soak (issue 17); 0 runs the phases instead.</summary>
    public int SoakMinutes { get; private set; }

    public int Rate { get; private set; } = 200;

    public TimeSpan SoakRetention { get; private set; } = TimeSpan.FromSeconds(60);

    /// <summary>The fire window (issue 6: N events due across 10 s).</summary>
    public static TimeSpan FireWindow => TimeSpan.FromSeconds(10);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        int? creates = null, fires = null, pending = null, failover = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int Count(int min) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{arg} needs a whole number >= {min}");
            switch (arg)
            {
                case "--quick": o.Quick = true; break;
                case "--creates": creates = Count(1); break;
                case "--fires": fires = Count(1); break;
                case "--pending": pending = Count(1); break;
                case "--concurrency": o.Concurrency = Count(1); break;
                case "--failover-events": failover = Count(1); break;
                case "--gateway":
                    o.Gateway = Uri.TryCreate(Value(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                        ? url
                        : throw new ArgumentException("--gateway needs an absolute http(s) URL");
                    break;
                case "--redis": o.Redis = Value(); break;
                case "--hangfire-poll-ms": o.HangfirePollMs = Count(0); break;
                case "--skip-hangfire": o.SkipHangfire = true; break;
                case "--faults-only": o.FaultsOnly = true; break;
                case "--out": o.Out = Value(); break;
                case "--keep-logs": o.KeepLogs = true; break;
                case "--soak": o.SoakMinutes = Count(1); break;
                case "--rate": o.Rate = Count(1); break;
                case "--soak-retention": o.SoakRetention = TimeSpan.FromSeconds(Count(1)); break;
                case "--help" or "-h": o.Help = true; break;
                default: throw new ArgumentException($"unknown option {arg}");
            }
        }

        if (o.Redis is not null && o.Gateway is null)
        {
            throw new ArgumentException("--redis goes with --gateway (otherwise the benchmark starts its own redis-server)");
        }

        if (o.FaultsOnly && o.Gateway is not null)
        {
            throw new ArgumentException("--faults-only starts and stops its own silos: leave out --gateway");
        }

        if (o.SoakMinutes > 0 && o.Gateway is not null)
        {
            throw new ArgumentException("--soak starts its own silo (it sets its retention): leave out --gateway");
        }

        o.Creates = creates ?? (o.Quick ? 2_000 : 20_000);
        o.Fires = fires ?? (o.Quick ? 1_000 : o.Creates);
        o.Pending = pending ?? (o.Quick ? 20_000 : 200_000);
        o.FailoverEvents = failover ?? (o.Quick ? 500 : 2_000);
        return o;
    }
}
