using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventd.Benchmarks.Report;

/// <summary>Every figure of one run; written as JSON with <c>--out</c> (null where a phase was skipped).</summary>
public sealed class Results
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public int Cores { get; set; } = Environment.ProcessorCount;
    public string Mode { get; set; } = "self-started";
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;
    public RunConfig Config { get; set; } = new();
    public double LoadAverageAtStart { get; set; }
    public double LoadAverageAtEnd { get; set; }

    // 1. Create
    public double? CreatesPerSec { get; set; }
    public Percentiles? CreateLatencyMs { get; set; }
    public int? CreateErrors { get; set; }

    /// <summary>Events/s created through <c>POST /eventd/v1/events/batch</c>, <see cref="Benchmark.BatchSize"/> a request.</summary>
    public double? BatchCreatesPerSec { get; set; }

    // 2. Fire
    public double? DeliveriesPerSec { get; set; }
    public double? DeliveriesPerSecSustained { get; set; }
    public double? OfferedFiresPerSec { get; set; }
    public Percentiles? LatenessMs { get; set; }
    public int? LostFires { get; set; }
    public int? DuplicateFires { get; set; }
    public int? EarlyFires { get; set; }

    // 3. Pending
    public double? SiloBytesPerPendingEvent { get; set; }
    public double? RedisBytesPerPendingEvent { get; set; }
    public PendingFigures? Pending { get; set; }

    // 4. Faults: a silo killed, a silo stopped gracefully, Redis paused
    public FailoverFigures? Failover { get; set; }
    public FailoverFigures? GracefulStop { get; set; }
    public FailoverFigures? RedisPause { get; set; }

    // 4b. Flow control
    public FlowControlFigures? FlowControl { get; set; }

    // 5. The limit
    public double? RawHttpPerSec { get; set; }
    public Percentiles? RawHttpLatencyMs { get; set; }
    public Dictionary<string, double?> FractionOfRawHttp { get; set; } = [];

    // 6. The peer
    public HangfireFigures? Hangfire { get; set; }
    public Dictionary<string, double?> EventdOverHangfire { get; set; } = [];

    /// <summary>CPU seconds each process used in each phase, with the phase's wall time.</summary>
    public Dictionary<string, PhaseCpu> Cpu { get; set; } = [];

    /// <summary>Redis commands per event in each phase (INFO commandstats delta / events).</summary>
    public Dictionary<string, RedisCalls> RedisCallsPerEvent { get; set; } = [];

    public List<string> Skipped { get; set; } = [];

    /// <summary>Phases that broke (the exit code is then 1); their figures are null.</summary>
    public List<string> Failed { get; set; } = [];
    public List<string> Notes { get; set; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed class RunConfig
{
    public int Creates { get; set; }
    public int Fires { get; set; }
    public double FireWindowSeconds { get; set; }
    public int Pending { get; set; }
    public int Concurrency { get; set; }
    public int FailoverEvents { get; set; }
    public bool Quick { get; set; }
    public string? Gateway { get; set; }
    public string Redis { get; set; } = "";
    public bool RedisAof { get; set; }
    public string Build { get; set; } = "Release";
}

public sealed class PendingFigures
{
    public int Events { get; set; }
    public double CreatesPerSec { get; set; }
    public int CreateErrors { get; set; }
    public long SiloRssBefore { get; set; }
    public long SiloRssActive { get; set; }
    public long SiloRssInactive { get; set; }
    public long SiloGcHeapBefore { get; set; }
    public long SiloGcHeapActive { get; set; }
    public long SiloGcHeapInactive { get; set; }
    public long RedisUsedMemoryBefore { get; set; }
    public long RedisUsedMemoryAfter { get; set; }
    public long EventActivationsBefore { get; set; }
    public long EventActivationsActive { get; set; }
    public long EventActivationsInactive { get; set; }
    /// <summary>orleans_reminders_active: reminders the silo holds in memory, each with its timer.</summary>
    public long RemindersActive { get; set; }

    /// <summary>ZCARD of the Redis reminder table.</summary>
    public long RemindersInRedis { get; set; }
    public long RemindersInactive { get; set; }

    /// <summary>After the silo's reminder refresh dropped the far reminders (not in --quick): null when not measured.</summary>
    public long? SiloRssSettled { get; set; }
    public long? SiloGcHeapSettled { get; set; }
    public long? RemindersSettled { get; set; }
    public double? SiloBytesPerPendingEventSettled { get; set; }
    public double? SiloGcHeapBytesPerPendingEventSettled { get; set; }
    public double SiloBytesPerPendingEventActive { get; set; }
    public double SiloGcHeapBytesPerPendingEventActive { get; set; }
    public double SiloGcHeapBytesPerPendingEventInactive { get; set; }
}

public sealed class FailoverFigures
{
    /// <summary>What was done 10 s in.</summary>
    public string Fault { get; set; } = "";
    public int Events { get; set; }
    public int LostFires { get; set; }
    public double? WorstLatenessMs { get; set; }
    public Percentiles? LatenessMs { get; set; }
    public int DuplicateFires { get; set; }
    public int EarlyFires { get; set; }
    public int CreateErrors { get; set; }
    public string KilledSilo { get; set; } = "";
    public long KilledSiloEventActivations { get; set; }
    public long SurvivorEventActivations { get; set; }
    public double FaultAtSecondsAfterStart { get; set; }

    /// <summary>When a fault that lasts a while (a Redis pause) was over; null for one that is over at once.</summary>
    public DateTimeOffset? FaultEndedAt { get; set; }

    /// <summary>The worst lateness counted from the later of its due time and <see cref="FaultEndedAt"/>.</summary>
    public double? WorstAfterFaultEndedMs { get; set; }
}

public sealed class HangfireFigures
{
    public double? CreatesPerSec { get; set; }
    public Percentiles? CreateLatencyMs { get; set; }
    public int CreateErrors { get; set; }
    public double? DeliveriesPerSec { get; set; }
    public double? DeliveriesPerSecSustained { get; set; }
    public Percentiles? LatenessMs { get; set; }
    public int? LostFires { get; set; }
    public int DuplicateFires { get; set; }
    public int EarlyFires { get; set; }
    public int WorkerCount { get; set; }
    public double SchedulePollingIntervalMs { get; set; }
    public string Version { get; set; } = "";
}

public sealed record PhaseCpu(double WallSeconds, Dictionary<string, double> CpuSeconds);

public sealed record RedisCalls(double Total, Dictionary<string, double> ByCommand);

/// <summary>Fires offered faster than their flow-control key's rate: the starts per second its receiver saw.</summary>
public sealed class FlowControlFigures
{
    public int Rate { get; set; }
    public int OfferedPerSec { get; set; }
    public int Delivered { get; set; }

    /// <summary>Starts per second from the first to the last arrival of the measured window.</summary>
    public double? StartsPerSec { get; set; }

    /// <summary>The most starts the receiver saw in any 1-s window (at most <see cref="Rate"/>).</summary>
    public int BusiestSecond { get; set; }

    /// <summary>Fires waiting at the key when the measurement ended.</summary>
    public int? WaitingAtEnd { get; set; }
}
