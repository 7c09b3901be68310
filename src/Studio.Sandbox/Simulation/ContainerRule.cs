namespace Studio.Sandbox.Simulation;

/// <summary>How a simulated container behaves: pull time, run time (null = until stopped), exit code, memory use, probes, logs.</summary>
internal sealed record ContainerRule(
    double PullSeconds,
    double? RunSeconds,
    int ExitCode,
    long MemoryBytes,
    int FailTimes,
    bool ImageMissing,
    double ReadyAfterSeconds,
    bool ReadinessFails,
    double? LivenessFailsAfterSeconds,
    WorkloadKind Kind,
    string? EchoText);
