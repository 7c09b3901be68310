namespace Studio.Domain.Jobs;

/// <summary>
/// The distribution of a job: PyTorch and MPI use <see cref="ProcessCountPerInstance"/>; TensorFlow uses
/// <see cref="WorkerCount"/> and <see cref="ParameterServerCount"/>.
/// </summary>
public sealed record Distribution(DistributionKind Kind, int? ProcessCountPerInstance = null, int? WorkerCount = null, int? ParameterServerCount = null)
{
    public static Distribution None { get; } = new(DistributionKind.None);
}
