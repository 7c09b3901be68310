namespace Studio.Domain.Jobs;

/// <summary>How the instances of a job cooperate (Azure ML CLI v2 <c>distribution.type</c>).</summary>
public enum DistributionKind
{
    /// <summary>No distribution: one process per instance.</summary>
    None,

    /// <summary><c>pytorch</c>: torch.distributed rendezvous (MASTER_ADDR, WORLD_SIZE, RANK...).</summary>
    PyTorch,

    /// <summary><c>tensorflow</c>: TF_CONFIG with workers and parameter servers.</summary>
    TensorFlow,

    /// <summary><c>mpi</c>: a launcher with a hostfile.</summary>
    Mpi,
}
