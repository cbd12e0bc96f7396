using System.Text.Json;
using Eventd.Gateway.Http;
using Xunit;

namespace Eventd.Tests.Unit;

/// <summary>Times as clients send them: milliseconds, seconds below 1e11, or ISO 8601.</summary>
public class ClientTimeTests
{
    private static (bool Ok, DateTimeOffset Time) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var ok = ClientTime.TryParse(document.RootElement, out var time);
        return (ok, time);
    }

    [Fact]
    public void Large_number_is_milliseconds_since_the_epoch()
    {
        Assert.Equal((true, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)), Read("1735689600000"));
    }

    [Fact]
    public void Number_below_1e11_is_seconds_since_the_epoch()
    {
        Assert.Equal((true, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)), Read("1735689600"));
    }

    [Fact]
    public void Fractional_seconds_keep_their_milliseconds()
    {
        Assert.Equal((true, new DateTimeOffset(2025, 1, 1, 0, 0, 0, 250, TimeSpan.Zero)), Read("1735689600.25"));
    }

    [Fact]
    public void Number_just_below_1e11_is_still_seconds()
    {
        Assert.Equal((true, DateTimeOffset.FromUnixTimeSeconds(99_999_999_999)), Read("99999999999"));
    }

    [Fact]
    public void Exactly_1e11_is_milliseconds()
    {
        Assert.Equal((true, DateTimeOffset.FromUnixTimeMilliseconds(100_000_000_000)), Read("100000000000"));
    }

    [Fact]
    public void Zero_is_the_epoch()
    {
        Assert.Equal((true, DateTimeOffset.UnixEpoch), Read("0"));
    }

    [Fact]
    public void Iso_8601_with_an_offset_is_converted_to_utc()
    {
        var (ok, time) = Read("\"2025-01-01T02:00:00+02:00\"");

        Assert.True(ok);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Fact]
    public void Iso_8601_without_an_offset_is_read_as_utc()
    {
        var (ok, time) = Read("\"2025-06-30T12:34:56.789\"");

        Assert.True(ok);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 12, 34, 56, 789, TimeSpan.Zero), time);
    }

    [Theory]
    [InlineData("2025-06-30T12:00:00.123456789Z")]
    [InlineData("2025-06-30T12:00:00,123456789Z")]
    [InlineData("20250630T120000.1234567Z")]
    [InlineData("2025-06-30T14:00:00.123456789+02:00")]
    [InlineData("2025-06-30T14:00:00.1234567+0200")]
    [InlineData("2025-06-30T14:00:00.1234567+02")]
    public void Iso_8601_in_its_other_forms_is_read_to_100_ns(string text)
    {
        Assert.Equal((true, new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567)), Read($"\"{text}\""));
    }

    [Fact]
    public void A_date_alone_is_its_midnight_utc()
    {
        Assert.Equal((true, new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero)), Read("\"2025-06-30\""));
    }

    [Fact]
    public void Iso_8601_with_z_is_utc()
    {
        Assert.Equal((true, new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero)), Read("\"2025-06-30T12:00:00Z\""));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e300")]
    [InlineData("\"soon\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1735689600000]")]
    [InlineData("{}")]
    [InlineData("\"01/02/2030\"")]
    [InlineData("\"2025-13-01\"")]
    [InlineData("\"2025-06-30T25:00:00Z\"")]
    [InlineData("\"2025-06-30T12:00:00+2\"")]
    public void Anything_else_is_not_a_time(string json)
    {
        Assert.False(Read(json).Ok);
    }
}
