using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Clusters;

public sealed partial class ClusterService
{
    /// <summary>
    /// Registers the cluster the studio runs in under <see cref="InClusterOptions.Name"/>, reached with the studio's own
    /// service account (nothing stored), or points an earlier registration at the current API server address. Idempotent:
    /// every start of the leader calls it. A cluster of another kind under that name is left alone (a conflict).
    /// </summary>
    public async Task<Result<ClusterSummary>> RegisterInClusterAsync(InClusterAccess access, CancellationToken cancellationToken)
    {
        if (access.Problem is { } problem)
        {
            return Error.Validation("inCluster", $"The studio cannot register the cluster it runs in: {problem}");
        }

        var name = access.Options.Name;
        var server = access.Server;
        var changed = false;
        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        if (cluster is null)
        {
            var source = access.Namespace is { } ns ? $"the studio's service account (namespace '{ns}')" : "the studio's service account";
            var registered = Cluster.Register(name, ClusterKind.InCluster, server, clock.GetUtcNow(), source, access.Options.DisplayName ?? "This cluster (the studio's own)");
            if (!registered.IsSuccess)
            {
                return Result<ClusterSummary>.Failure(registered.Errors);
            }

            cluster = registered.Value;
            work.Clusters.Add(cluster);
            work.Db.Audit(clock, new Actor("system", "System", WorkspaceRole.Administrator), "cluster.register", cluster.Name, $"{cluster.Kind} {cluster.Server}");
            changed = true;
        }
        else if (!cluster.UsesOwnServiceAccount)
        {
            return Error.Conflict("cluster_exists", $"A {cluster.Kind} cluster named '{name}' is already registered; the cluster the studio runs in was not registered. Choose another name (Studio:InCluster:Name).", "name");
        }
        else if (!SameServer(cluster.Server, server))
        {
            cluster.MoveTo(server);
            changed = true;
        }

        await work.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            clients.Evict(cluster.Id);
            await inventories.ReconnectAsync(cluster.Id, cancellationToken);
        }

        return Summarize(cluster, await work.Db.AttachmentsAsync(cancellationToken));
    }
}
