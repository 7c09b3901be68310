namespace Studio.Sandbox.Simulation;

/// <summary>Which log generator a simulated container uses.</summary>
internal enum WorkloadKind
{
    Generic,
    Training,
    ModelServer,
    Echo,
}
