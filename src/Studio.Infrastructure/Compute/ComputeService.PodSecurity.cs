using System.Net;
using k8s;
using k8s.Autorest;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Compute;

/// <summary>
/// The Pod Security Standard of a compute target: chosen by administrators (restricted by default, baseline for images
/// that need root), applied to its jobs' pods and enforced on its namespace through the Pod Security admission label.
/// </summary>
public sealed partial class ComputeService
{
    /// <summary>
    /// Sets the compute target's Pod Security Standard (administrators only) and labels its namespace to enforce it.
    /// Jobs submitted afterwards run under it; running jobs keep theirs. A namespace shared with a baseline target stays
    /// baseline. When the cluster cannot be reached the choice is saved and the label follows at the next attach or start
    /// (<see cref="ComputeSummary.LiveProblem"/> says so).
    /// </summary>
    public async Task<Result<ComputeSummary>> SetPodSecurityAsync(Actor actor, string workspaceName, string name, PodSecurityLevel level, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(level))
        {
            return Error.Validation("podSecurity", "Choose restricted or baseline.");
        }

        await using var work = units.Begin();
        var found = await TargetAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<ComputeSummary>.Failure(found.Errors);
        }

        var (workspace, target) = found.Value;
        target.SetPodSecurity(level);
        work.Db.Audit(clock, actor, "compute.pod-security", $"{workspace.Name}/{target.Name}", ExtensionManifests.PodSecurityValue(level));
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var names = await ClusterNamesAsync(work.Db, cancellationToken).ConfigureAwait(false);
        var summary = ComputeSummary.From(workspace, target, names.GetValueOrDefault(target.ClusterId, "(removed)"));
        var client = await clients.GetAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return summary with { LiveProblem = $"Saved; the namespace label follows when the cluster can be reached ({client.Errors[0].Message})." };
        }

        try
        {
            var enforced = await NamespacePodSecurityAsync(work.Db, workspace, target, cancellationToken).ConfigureAwait(false);
            var labels = ExtensionManifests.Compute(workspace.Name, target.Name, target.Namespace, null, createNamespace: false, enforced).Where(o => o.Kind == "Namespace");
            return await ApplyComputeObjectsAsync(client.Value, labels, target, cancellationToken).ConfigureAwait(false) is { } warning ? summary with { LiveProblem = warning } : summary;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return summary with { LiveProblem = $"Saved; labelling namespace {target.Namespace} failed: {KubernetesProbe.Describe(e)}" };
        }
    }

    /// <summary>
    /// The level the namespace of <paramref name="target"/> enforces: baseline when it or any other compute target on
    /// the same namespace of the same cluster runs baseline (a shared namespace must admit every target's pods).
    /// </summary>
    private static async Task<PodSecurityLevel> NamespacePodSecurityAsync(StudioDbContext db, Workspace workspace, ComputeTarget target, CancellationToken ct)
    {
        if (target.PodSecurity == PodSecurityLevel.Baseline)
        {
            return PodSecurityLevel.Baseline;
        }

        var others = (await db.AttachmentsAsync(ct).ConfigureAwait(false))
            .Where(a => a.ClusterId == target.ClusterId && a.Namespace == target.Namespace && !(a.Workspace == workspace.Name && string.Equals(a.Compute, target.Name, StringComparison.OrdinalIgnoreCase)));
        return others.Any(a => a.PodSecurity == PodSecurityLevel.Baseline) ? PodSecurityLevel.Baseline : PodSecurityLevel.Restricted;
    }

    /// <summary>
    /// Applies a compute target's objects with the one server-side applier. Labelling a namespace Studio did not create
    /// needs 'patch namespaces'; credentials without it leave the label off (the jobs' pods still meet the standard):
    /// the answer is then that warning, else null.
    /// </summary>
    private static async Task<string?> ApplyComputeObjectsAsync(IKubernetes client, IEnumerable<ManifestObject> objects, ComputeTarget target, CancellationToken ct)
    {
        string? warning = null;
        foreach (var o in objects)
        {
            try
            {
                await ServerSideApplier.ApplyAsync(client, o, ct).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (o.Kind == "Namespace" && !target.NamespaceCreatedByStudio && e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                warning = $"Namespace {target.Namespace} is not labelled {ExtensionManifests.PodSecurityEnforceLabel}: the cluster credentials may not patch namespaces. Jobs still run with the {ExtensionManifests.PodSecurityValue(target.PodSecurity)} security context.";
            }
        }

        return warning;
    }
}
