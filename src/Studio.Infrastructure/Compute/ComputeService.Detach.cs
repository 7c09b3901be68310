using System.Net;
using k8s;
using k8s.Autorest;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Compute;

/// <summary>Detach: unlink a compute target, refused while work runs unless asked to cancel it; the namespace goes only when safe.</summary>
public sealed partial class ComputeService
{
    /// <summary>
    /// Detaches (unlinks) a compute target. Refused while jobs or endpoints run in its namespace unless
    /// <paramref name="cancelWorkloads"/>; deletes the namespace only when asked, Studio created it, no other target uses it, and it is empty.
    /// </summary>
    public async Task<Result<string>> DetachAsync(Actor actor, string workspaceName, string name, bool cancelWorkloads, bool deleteNamespace, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var found = await TargetAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<string>.Failure(found.Errors);
        }

        var (workspace, target) = found.Value;

        var label = $"{workspace.Name}/{target.Name}";
        var client = await clients.GetAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        if (client.IsSuccess)
        {
            try
            {
                var (jobs, endpoints) = await KubernetesProbe.WorkloadsAsync(client.Value, target.Namespace, cancellationToken).ConfigureAwait(false);
                if ((jobs.Count > 0 || endpoints.Count > 0) && !cancelWorkloads)
                {
                    return Error.Conflict("compute_busy", $"Compute target '{label}' still runs {Describe(jobs, "job")}{(jobs.Count > 0 && endpoints.Count > 0 ? " and " : string.Empty)}{Describe(endpoints, "endpoint")} in namespace '{target.Namespace}'. Cancel them first, or choose to cancel them as part of the detach.");
                }

                target.BeginDetach();
                await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                foreach (var job in jobs)
                {
                    await client.Value.BatchV1.DeleteNamespacedJobAsync(job, target.Namespace, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                foreach (var deployment in endpoints)
                {
                    await client.Value.AppsV1.DeleteNamespacedDeploymentAsync(deployment, target.Namespace, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                if (jobs.Count + endpoints.Count > 0)
                {
                    notes.Add($"Cancelled {Describe(jobs, "job")}{(jobs.Count > 0 && endpoints.Count > 0 ? " and " : string.Empty)}{Describe(endpoints, "endpoint")}.");
                }

                var sharedWith = await UsersOfNamespaceAsync(work.Db, target.ClusterId, target.Namespace, (workspace.Name, target.Name), cancellationToken).ConfigureAwait(false);
                if (sharedWith.Count == 0)
                {
                    await IgnoreNotFound(client.Value.CoreV1.DeleteNamespacedResourceQuotaAsync(ExtensionManifests.QuotaName, target.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    await IgnoreNotFound(client.Value.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(ExtensionManifests.ComputeRoleBindingName, target.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                if (deleteNamespace)
                {
                    notes.Add(await DeleteNamespaceIfSafeAsync(client.Value, target, sharedWith, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                notes.Add($"The cluster could not be cleaned up ({KubernetesProbe.Describe(e)}); the compute target is unlinked anyway.");
            }
        }
        else
        {
            notes.Add($"The cluster is not reachable ({client.Errors[0].Message}); the compute target is unlinked and nothing on the cluster was changed.");
        }

        workspace.DetachComputeTarget(target.Name);
        var summary = notes.Count == 0 ? $"Detached '{label}'. Nothing on the cluster was deleted." : $"Detached '{label}'. {string.Join(" ", notes)}";
        work.Db.Audit(clock, actor, "compute.detach", label, summary);
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private static async Task<string> DeleteNamespaceIfSafeAsync(IKubernetes client, ComputeTarget target, IReadOnlyList<string> sharedWith, CancellationToken ct)
    {
        if (!target.NamespaceCreatedByStudio)
        {
            return $"Namespace '{target.Namespace}' was kept: Studio did not create it.";
        }

        if (sharedWith.Count > 0)
        {
            return $"Namespace '{target.Namespace}' was kept: {string.Join(", ", sharedWith)} still use it.";
        }

        var pods = await client.CoreV1.ListNamespacedPodAsync(target.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var (jobs, endpoints) = await KubernetesProbe.WorkloadsAsync(client, target.Namespace, ct).ConfigureAwait(false);
        if (pods.Items.Count + jobs.Count + endpoints.Count > 0)
        {
            return $"Namespace '{target.Namespace}' was kept: it is not empty ({pods.Items.Count} pod(s) remain).";
        }

        await IgnoreNotFound(client.CoreV1.DeleteNamespaceAsync(target.Namespace, cancellationToken: ct)).ConfigureAwait(false);
        return $"Deleted namespace '{target.Namespace}' (Studio created it and it was empty).";
    }

    private static async Task IgnoreNotFound<T>(Task<T> call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
