using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Compute;

/// <summary>
/// Compute targets: pre-flight, attach (namespace, quota and access applied with server-side apply, so a retry
/// converges), list, get with live workloads, identity edits, and detach (unlink only, refused while work runs).
/// </summary>
public sealed partial class ComputeService(UnitOfWorkFactory units, KubernetesClientFactory clients, ExtensionService extension, TimeProvider clock)
{
    /// <summary>The audit action that marks the embedded default as created once; it is never re-created after that.</summary>
    public const string EmbeddedDefaultMarker = "compute.embedded-default";

    public async Task<Result<IReadOnlyList<ComputeSummary>>> ListAsync(Actor actor, string workspaceName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var found = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.Reader, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<IReadOnlyList<ComputeSummary>>.Failure(found.Errors);
        }

        var workspace = found.Value;
        var names = await ClusterNamesAsync(work.Db, cancellationToken).ConfigureAwait(false);
        return Result<IReadOnlyList<ComputeSummary>>.Ok([.. workspace.ComputeTargets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(c => ComputeSummary.From(workspace, c, names.GetValueOrDefault(c.ClusterId, "(removed)")))]);
    }

    /// <summary>One compute target with what runs on it now (jobs, endpoints) and the instance types its cluster offers.</summary>
    public async Task<Result<ComputeSummary>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var found = await TargetAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<ComputeSummary>.Failure(found.Errors);
        }

        var (workspace, target) = found.Value;
        var names = await ClusterNamesAsync(work.Db, cancellationToken).ConfigureAwait(false);
        var summary = ComputeSummary.From(workspace, target, names.GetValueOrDefault(target.ClusterId, "(removed)"));
        var client = await clients.GetAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return summary with { LiveProblem = client.Errors[0].Message };
        }

        try
        {
            var (jobs, endpoints) = await KubernetesProbe.WorkloadsAsync(client.Value, target.Namespace, cancellationToken).ConfigureAwait(false);
            var types = await KubernetesProbe.ClusterCustomObjectNamesAsync(client.Value, ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, cancellationToken).ConfigureAwait(false);
            return summary with { RunningJobs = jobs, Endpoints = endpoints, InstanceTypes = types ?? [] };
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return summary with { LiveProblem = KubernetesProbe.Describe(e) };
        }
    }

    /// <summary>
    /// Attaches a cluster: pre-flight, record (Creating), apply the namespace objects, then Succeeded or Failed with the
    /// reason. Attaching again with the same name, cluster and namespace after a failure retries and converges.
    /// </summary>
    public async Task<Result<ComputeSummary>> AttachAsync(Actor actor, string workspaceName, AttachComputeRequest request, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var found = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<ComputeSummary>.Failure(found.Errors);
        }

        var workspace = found.Value;
        var cluster = string.IsNullOrWhiteSpace(request.Cluster) ? null : await work.Clusters.FindByNameAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
        var existing = request.Name is null ? null : workspace.FindComputeTarget(request.Name);
        var retry = existing is { State: ComputeTargetState.Failed or ComputeTargetState.Creating } && cluster is not null && existing.ClusterId == cluster.Id && existing.Namespace == request.Namespace;
        var validation = retry ? [] : Validate(workspace, request);
        if (cluster is null)
        {
            validation = [.. validation, Error.Validation("cluster", string.IsNullOrWhiteSpace(request.Cluster) ? "Choose a cluster." : $"Cluster '{request.Cluster}' is not registered.")];
        }

        if (validation.Count > 0)
        {
            return Result<ComputeSummary>.Failure(validation);
        }

        var usedBy = await UsersOfNamespaceAsync(work.Db, cluster!.Id, request.Namespace!, retry ? (workspace.Name, existing!.Name) : null, cancellationToken).ConfigureAwait(false);
        var preflight = await PreflightAsync(cluster, request, usedBy, cancellationToken).ConfigureAwait(false);
        if (!preflight.IsSuccess)
        {
            return Result<ComputeSummary>.Failure(preflight.Errors);
        }

        var report = preflight.Value;
        if (!report.Passed)
        {
            return Error.Conflict("preflight_failed", "The pre-flight failed: " + string.Join(" ", report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => $"{c.Title}: {c.Detail}")));
        }

        if (!report.NamespaceExists && !request.CreateNamespace && !(retry && existing!.NamespaceCreatedByStudio))
        {
            return Error.Conflict("namespace_missing", $"Namespace '{request.Namespace}' does not exist on cluster '{cluster.Name}'. Confirm that Studio should create it.", "namespace");
        }

        if (usedBy.Count > 0 && !request.ConfirmSharedNamespace)
        {
            return Error.Conflict("namespace_in_use", $"Namespace '{request.Namespace}' on cluster '{cluster.Name}' is already used by {string.Join(", ", usedBy)}. Workloads of both would share it; confirm to continue.", "namespace");
        }

        ComputeTarget target;
        if (retry)
        {
            target = existing!;
            target.Retry();
        }
        else
        {
            var attached = workspace.AttachComputeTarget(request.Name, cluster.Id, request.Namespace, request.Description, clock.GetUtcNow(), request.DefaultInstanceType, request.Quota, namespaceCreatedByStudio: !report.NamespaceExists);
            if (!attached.IsSuccess)
            {
                return Result<ComputeSummary>.Failure(attached.Errors);
            }

            target = attached.Value;
            target.SetPodSecurity(request.PodSecurity);
        }

        work.Db.Audit(clock, actor, retry ? "compute.attach-retry" : "compute.attach", $"{workspace.Name}/{target.Name}", $"cluster {cluster.Name}, namespace {target.Namespace}{(report.NamespaceExists ? string.Empty : " (created)")}, default instance type {target.DefaultInstanceType}, pod security {ExtensionManifests.PodSecurityValue(target.PodSecurity)}{(target.Quota is { } q ? $", quota cpu={q.Cpu} memory={q.Memory} gpu={q.Gpu}" : string.Empty)}");
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var client = await clients.GetAsync(cluster.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!client.IsSuccess)
            {
                throw new InvalidOperationException(client.Errors[0].Message);
            }

            var enforced = await NamespacePodSecurityAsync(work.Db, workspace, target, cancellationToken).ConfigureAwait(false);
            var objects = ExtensionManifests.Compute(workspace.Name, target.Name, target.Namespace, target.Quota, createNamespace: target.NamespaceCreatedByStudio, enforced);
            if (await ApplyComputeObjectsAsync(client.Value, objects, target, cancellationToken).ConfigureAwait(false) is { } warning)
            {
                work.Db.Audit(clock, actor, "compute.pod-security-label", $"{workspace.Name}/{target.Name}", warning);
            }

            target.MarkSucceeded();
            work.Db.Audit(clock, actor, "compute.succeeded", $"{workspace.Name}/{target.Name}", null);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or InvalidOperationException)
        {
            target.MarkFailed($"{KubernetesProbe.Describe(e)} Attach again with the same name, cluster and namespace to retry.");
            work.Db.Audit(clock, actor, "compute.failed", $"{workspace.Name}/{target.Name}", target.StateReason);
        }

        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ComputeSummary.From(workspace, target, cluster.Name);
    }

    /// <summary>Changes the identity, the one property that may change after attach.</summary>
    public async Task<Result<ComputeSummary>> SetIdentityAsync(Actor actor, string workspaceName, string name, string? identity, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var found = await TargetAsync(work, actor, workspaceName, name, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<ComputeSummary>.Failure(found.Errors);
        }

        var (workspace, target) = found.Value;
        target.SetIdentity(identity);
        work.Db.Audit(clock, actor, "compute.identity", $"{workspace.Name}/{target.Name}", target.Identity ?? "(none)");
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var names = await ClusterNamesAsync(work.Db, cancellationToken).ConfigureAwait(false);
        return ComputeSummary.From(workspace, target, names.GetValueOrDefault(target.ClusterId, "(removed)"));
    }

    /// <summary>
    /// The embedded default: the extension on <paramref name="clusterName"/> and compute target <paramref name="computeName"/>
    /// in <paramref name="workspaceName"/>. Created once; re-converged on every start (the sandbox starts empty);
    /// never re-created once a user removed it.
    /// </summary>
    public async Task<Result> EnsureEmbeddedDefaultAsync(string clusterName, string workspaceName, string computeName, string @namespace, CancellationToken cancellationToken)
    {
        var system = new Actor("system", "System", WorkspaceRole.Administrator);
        bool seeded;
        bool present;
        await using (var work = units.Begin())
        {
            seeded = await work.Db.AuditEntries.AnyAsync(a => a.Action == EmbeddedDefaultMarker, cancellationToken).ConfigureAwait(false);
            var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
            present = workspace?.FindComputeTarget(computeName) is not null;
        }

        if (seeded && !present)
        {
            return Result.Success();
        }

        var status = await extension.StatusAsync(clusterName, cancellationToken).ConfigureAwait(false);
        if (!status.IsSuccess)
        {
            return Result.Failure(status.Errors);
        }

        if (!status.Value.Installed || !status.Value.Healthy)
        {
            var installed = await extension.InstallAsync(system, clusterName, status.Value.Settings ?? new ExtensionSettings(), cancellationToken).ConfigureAwait(false);
            if (!installed.IsSuccess)
            {
                return Result.Failure(installed.Errors);
            }
        }

        if (present)
        {
            return await ReconvergeAsync(workspaceName, computeName, cancellationToken).ConfigureAwait(false);
        }

        var attached = await AttachAsync(system, workspaceName, new AttachComputeRequest(computeName, clusterName, @namespace, "The built-in sandbox cluster, ready for a first job.", CreateNamespace: true, ConfirmSharedNamespace: true), cancellationToken).ConfigureAwait(false);
        if (!attached.IsSuccess)
        {
            return Result.Failure(attached.Errors);
        }

        await using (var work = units.Begin())
        {
            work.Db.Audit(clock, system, EmbeddedDefaultMarker, $"{workspaceName}/{computeName}", $"cluster {clusterName}, namespace {@namespace}");
            await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Result.Success();
    }

    private async Task<Result> ReconvergeAsync(string workspaceName, string computeName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = (await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false))!;
        var target = workspace.FindComputeTarget(computeName)!;
        var client = await clients.GetAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result.Failure(client.Errors);
        }

        try
        {
            var exists = await KubernetesProbe.FindNamespaceAsync(client.Value, target.Namespace, cancellationToken).ConfigureAwait(false) is not null;
            var enforced = await NamespacePodSecurityAsync(work.Db, workspace, target, cancellationToken).ConfigureAwait(false);
            await ApplyComputeObjectsAsync(client.Value, ExtensionManifests.Compute(workspace.Name, target.Name, target.Namespace, target.Quota, createNamespace: target.NamespaceCreatedByStudio || !exists, enforced), target, cancellationToken).ConfigureAwait(false);

            if (target.State != ComputeTargetState.Succeeded)
            {
                target.MarkSucceeded();
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            target.MarkFailed(KubernetesProbe.Describe(e));
        }

        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success();
    }

    private static string Describe(IReadOnlyList<string> names, string noun) =>
        names.Count == 0 ? string.Empty : $"{names.Count} {noun}{(names.Count == 1 ? string.Empty : "s")} ({string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", …" : string.Empty)})";

    /// <summary>
    /// Who else uses the namespace: other compute targets attached to it and, for <c>default</c>, every workload on the
    /// cluster that names no namespace — so taking it needs the same explicit confirmation as any shared namespace.
    /// </summary>
    private static async Task<List<string>> UsersOfNamespaceAsync(StudioDbContext db, Guid clusterId, string @namespace, (string Workspace, string Compute)? except, CancellationToken ct)
    {
        List<string> users = [.. (await db.AttachmentsAsync(ct).ConfigureAwait(false))
            .Where(a => a.ClusterId == clusterId && a.Namespace == @namespace && !(except is { } e && e.Workspace == a.Workspace && string.Equals(e.Compute, a.Compute, StringComparison.OrdinalIgnoreCase)))
            .Select(a => a.ToString())];
        if (@namespace == ComputeNamespaces.Default)
        {
            users.Add(ComputeNamespaces.DefaultNamespaceUsers);
        }

        return users;
    }

    private static async Task<Dictionary<Guid, string>> ClusterNamesAsync(StudioDbContext db, CancellationToken ct) =>
        await db.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct).ConfigureAwait(false);

    /// <summary>
    /// The workspace when the actor has <paramref name="minimum"/> in it: readers see compute targets, administrators
    /// attach, change and detach them. Otherwise why not (not found, or forbidden).
    /// </summary>
    private static async Task<Result<Workspace>> WorkspaceAsync(UnitOfWork work, Actor actor, string workspaceName, WorkspaceRole minimum, CancellationToken ct)
    {
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, ct).ConfigureAwait(false);
        var forbidden = minimum == WorkspaceRole.Administrator ? "Only administrators attach, change and detach compute targets." : null;
        return WorkspaceAccess.Check(actor, workspace, workspaceName, minimum, forbidden) is { } denied ? denied : workspace!;
    }

    /// <summary>As <see cref="WorkspaceAsync"/>, then the workspace's compute target <paramref name="name"/> (not found when it has none).</summary>
    private static async Task<Result<(Workspace Workspace, ComputeTarget Target)>> TargetAsync(UnitOfWork work, Actor actor, string workspaceName, string name, WorkspaceRole minimum, CancellationToken ct)
    {
        var found = await WorkspaceAsync(work, actor, workspaceName, minimum, ct).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<(Workspace, ComputeTarget)>.Failure(found.Errors);
        }

        var workspace = found.Value;
        return workspace.FindComputeTarget(name) is { } target
            ? (workspace, target)
            : Error.NotFound($"Workspace '{workspace.Name}' has no compute target named '{name}'.");
    }
}
