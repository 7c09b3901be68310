using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// Read side of a cluster's instance types (from the shared informer on the InstanceType custom resource), used by
/// the job and endpoint services to resolve a name and answer "can I run this?".
/// </summary>
public interface IInstanceTypeCatalog
{
    /// <summary>All instance types of the cluster, including the implicit <c>defaultinstancetype</c> unless a resource overrides it.</summary>
    Task<Result<IReadOnlyList<InstanceType>>> ListAsync(Guid clusterId, CancellationToken cancellationToken);

    /// <summary>One instance type by name (NotFound error naming the cluster's instance types when missing).</summary>
    Task<Result<InstanceType>> GetAsync(Guid clusterId, string name, CancellationToken cancellationToken);

    /// <summary>Live availability of every instance type on the cluster (matching nodes, replicas that fit now and on an empty cluster).</summary>
    Task<Result<IReadOnlyList<InstanceTypeAvailability>>> AvailabilityAsync(Guid clusterId, CancellationToken cancellationToken);
}
