using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
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
public sealed class ComputeService(IDbContextFactory<StudioDbContext> contexts, KubernetesClientFactory clients, ExtensionService extension, TimeProvider clock)
{
    /// <summary>The audit action that marks the embedded default as created once; it is never re-created after that.</summary>
    public const string EmbeddedDefaultMarker = "compute.embedded-default";

    public async Task<Result<IReadOnlyList<ComputeSummary>>> ListAsync(Actor actor, string workspaceName, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (Visible(actor, workspace, workspaceName) is { } error)
        {
            return error;
        }

        var names = await ClusterNamesAsync(db, cancellationToken).ConfigureAwait(false);
        return Result<IReadOnlyList<ComputeSummary>>.Ok([.. workspace!.ComputeTargets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(c => ComputeSummary.From(workspace, c, names.GetValueOrDefault(c.ClusterId, "(removed)")))]);
    }

    /// <summary>One compute target with what runs on it now (jobs, endpoints) and the instance types its cluster offers.</summary>
    public async Task<Result<ComputeSummary>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (Visible(actor, workspace, workspaceName) is { } error)
        {
            return error;
        }

        var target = workspace!.FindComputeTarget(name);
        if (target is null)
        {
            return Error.NotFound($"Workspace '{workspace.Name}' has no compute target named '{name}'.");
        }

        var names = await ClusterNamesAsync(db, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Runs every attach check without changing anything.</summary>
    public async Task<Result<PreflightReport>> PreflightAsync(Actor actor, string workspaceName, AttachComputeRequest request, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (CanAttach(actor, workspace, workspaceName) is { } denied)
        {
            return denied;
        }

        var validation = Validate(workspace!, request);
        if (validation.Count > 0)
        {
            return Result<PreflightReport>.Failure(validation);
        }

        var cluster = await new ClusterRepository(db).FindByNameAsync(request.Cluster!, cancellationToken).ConfigureAwait(false);
        if (cluster is null)
        {
            return Error.Validation("cluster", $"Cluster '{request.Cluster}' is not registered.");
        }

        var usedBy = await UsersOfNamespaceAsync(db, cluster.Id, request.Namespace!, null, cancellationToken).ConfigureAwait(false);
        return await PreflightAsync(cluster, request, usedBy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Attaches a cluster: pre-flight, record (Creating), apply the namespace objects, then Succeeded or Failed with the
    /// reason. Attaching again with the same name, cluster and namespace after a failure retries and converges.
    /// </summary>
    public async Task<Result<ComputeSummary>> AttachAsync(Actor actor, string workspaceName, AttachComputeRequest request, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (CanAttach(actor, workspace, workspaceName) is { } denied)
        {
            return denied;
        }

        var cluster = string.IsNullOrWhiteSpace(request.Cluster) ? null : await new ClusterRepository(db).FindByNameAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
        var existing = request.Name is null ? null : workspace!.FindComputeTarget(request.Name);
        var retry = existing is { State: ComputeTargetState.Failed or ComputeTargetState.Creating } && cluster is not null && existing.ClusterId == cluster.Id && existing.Namespace == request.Namespace;
        var validation = retry ? [] : Validate(workspace!, request);
        if (cluster is null)
        {
            validation = [.. validation, Error.Validation("cluster", string.IsNullOrWhiteSpace(request.Cluster) ? "Choose a cluster." : $"Cluster '{request.Cluster}' is not registered.")];
        }

        if (validation.Count > 0)
        {
            return Result<ComputeSummary>.Failure(validation);
        }

        var usedBy = await UsersOfNamespaceAsync(db, cluster!.Id, request.Namespace!, retry ? (workspace!.Name, existing!.Name) : null, cancellationToken).ConfigureAwait(false);
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
            var attached = workspace!.AttachComputeTarget(request.Name, cluster.Id, request.Namespace, request.Description, clock.GetUtcNow(), request.DefaultInstanceType, request.Quota, namespaceCreatedByStudio: !report.NamespaceExists);
            if (!attached.IsSuccess)
            {
                return Result<ComputeSummary>.Failure(attached.Errors);
            }

            target = attached.Value;
        }

        db.Audit(clock, actor, retry ? "compute.attach-retry" : "compute.attach", $"{workspace!.Name}/{target.Name}", $"cluster {cluster.Name}, namespace {target.Namespace}{(report.NamespaceExists ? string.Empty : " (created)")}, default instance type {target.DefaultInstanceType}{(target.Quota is { } q ? $", quota cpu={q.Cpu} memory={q.Memory} gpu={q.Gpu}" : string.Empty)}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var client = await clients.GetAsync(cluster.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!client.IsSuccess)
            {
                throw new InvalidOperationException(client.Errors[0].Message);
            }

            foreach (var o in ExtensionManifests.Compute(workspace.Name, target.Name, target.Namespace, target.Quota, createNamespace: target.NamespaceCreatedByStudio))
            {
                await ServerSideApplier.ApplyAsync(client.Value, o, cancellationToken).ConfigureAwait(false);
            }

            target.MarkSucceeded();
            db.Audit(clock, actor, "compute.succeeded", $"{workspace.Name}/{target.Name}", null);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or InvalidOperationException)
        {
            target.MarkFailed($"{KubernetesProbe.Describe(e)} Attach again with the same name, cluster and namespace to retry.");
            db.Audit(clock, actor, "compute.failed", $"{workspace.Name}/{target.Name}", target.StateReason);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ComputeSummary.From(workspace, target, cluster.Name);
    }

    /// <summary>Changes the identity, the one property that may change after attach.</summary>
    public async Task<Result<ComputeSummary>> SetIdentityAsync(Actor actor, string workspaceName, string name, string? identity, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (CanAttach(actor, workspace, workspaceName) is { } denied)
        {
            return denied;
        }

        var target = workspace!.FindComputeTarget(name);
        if (target is null)
        {
            return Error.NotFound($"Workspace '{workspace.Name}' has no compute target named '{name}'.");
        }

        target.SetIdentity(identity);
        db.Audit(clock, actor, "compute.identity", $"{workspace.Name}/{target.Name}", target.Identity ?? "(none)");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var names = await ClusterNamesAsync(db, cancellationToken).ConfigureAwait(false);
        return ComputeSummary.From(workspace, target, names.GetValueOrDefault(target.ClusterId, "(removed)"));
    }

    /// <summary>
    /// Detaches (unlinks) a compute target. Refused while jobs or endpoints run in its namespace unless
    /// <paramref name="cancelWorkloads"/>; deletes the namespace only when asked, Studio created it, no other target uses it, and it is empty.
    /// </summary>
    public async Task<Result<string>> DetachAsync(Actor actor, string workspaceName, string name, bool cancelWorkloads, bool deleteNamespace, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
        if (CanAttach(actor, workspace, workspaceName) is { } denied)
        {
            return denied;
        }

        var target = workspace!.FindComputeTarget(name);
        if (target is null)
        {
            return Error.NotFound($"Workspace '{workspace.Name}' has no compute target named '{name}'.");
        }

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
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
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

                var sharedWith = await UsersOfNamespaceAsync(db, target.ClusterId, target.Namespace, (workspace.Name, target.Name), cancellationToken).ConfigureAwait(false);
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
        db.Audit(clock, actor, "compute.detach", label, summary);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return summary;
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
        await using (var db = contexts.CreateDbContext())
        {
            seeded = await db.AuditEntries.AnyAsync(a => a.Action == EmbeddedDefaultMarker, cancellationToken).ConfigureAwait(false);
            var workspace = await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false);
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

        await using (var db = contexts.CreateDbContext())
        {
            db.Audit(clock, system, EmbeddedDefaultMarker, $"{workspaceName}/{computeName}", $"cluster {clusterName}, namespace {@namespace}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Result.Success();
    }

    private async Task<Result> ReconvergeAsync(string workspaceName, string computeName, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var workspace = (await new WorkspaceRepository(db).FindByNameAsync(workspaceName, cancellationToken).ConfigureAwait(false))!;
        var target = workspace.FindComputeTarget(computeName)!;
        var client = await clients.GetAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result.Failure(client.Errors);
        }

        try
        {
            var exists = await KubernetesProbe.FindNamespaceAsync(client.Value, target.Namespace, cancellationToken).ConfigureAwait(false) is not null;
            foreach (var o in ExtensionManifests.Compute(workspace.Name, target.Name, target.Namespace, target.Quota, createNamespace: target.NamespaceCreatedByStudio || !exists))
            {
                await ServerSideApplier.ApplyAsync(client.Value, o, cancellationToken).ConfigureAwait(false);
            }

            if (target.State != ComputeTargetState.Succeeded)
            {
                target.MarkSucceeded();
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            target.MarkFailed(KubernetesProbe.Describe(e));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success();
    }

    private async Task<Result<PreflightReport>> PreflightAsync(Cluster cluster, AttachComputeRequest request, IReadOnlyList<string> usedBy, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(cluster.Id, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result<PreflightReport>.Failure(client.Errors);
        }

        var ns = request.Namespace!;
        var checks = new List<CheckResult>();
        var exists = false;
        IReadOnlyList<string> types = [];
        try
        {
            var status = await extension.CheckAsync(cluster, client.Value, cancellationToken).ConfigureAwait(false);
            checks.Add(!status.Installed
                ? CheckResult.Fail("extension", "Extension", $"The Studio extension is not installed on '{cluster.Name}'.", "Install it from the cluster page first.")
                : !status.Healthy
                    ? CheckResult.Fail("extension", "Extension", "The extension is unhealthy: " + string.Join(" ", status.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Detail)), "Open the cluster page, fix the failing health checks and re-run them.")
                    : CheckResult.Pass("extension", "Extension", "Installed and healthy."));

            exists = await KubernetesProbe.FindNamespaceAsync(client.Value, ns, cancellationToken).ConfigureAwait(false) is not null;
            if (exists)
            {
                checks.Add(usedBy.Count == 0
                    ? CheckResult.Pass("namespace", "Namespace", $"Namespace '{ns}' exists.")
                    : CheckResult.Warn("namespace", "Namespace", $"Namespace '{ns}' exists and is already used by {string.Join(", ", usedBy)}.", "Use a namespace of its own, or confirm sharing it."));
            }
            else
            {
                checks.Add(await KubernetesProbe.AllowedAsync(client.Value, "create", string.Empty, "namespaces", null, cancellationToken).ConfigureAwait(false)
                    ? CheckResult.Warn("namespace", "Namespace", $"Namespace '{ns}' does not exist; Studio will create it.", "Confirm creating it.")
                    : CheckResult.Fail("namespace", "Namespace", $"Namespace '{ns}' does not exist and the credentials may not create namespaces.", "Create it on the cluster, or grant 'create namespaces'."));
            }

            var denied = new List<string>();
            foreach (var (group, resource) in new[] { ("batch", "jobs"), ("apps", "deployments"), (string.Empty, "services") })
            {
                if (!await KubernetesProbe.AllowedAsync(client.Value, "create", group, resource, ns, cancellationToken).ConfigureAwait(false))
                {
                    denied.Add(resource);
                }
            }

            checks.Add(denied.Count == 0
                ? CheckResult.Pass("permissions", "Permissions", $"The credentials may create jobs, deployments and services in '{ns}'.")
                : CheckResult.Fail("permissions", "Permissions", $"The credentials may not create {string.Join(", ", denied)} in '{ns}'.", "Grant them (e.g. a RoleBinding to the 'studio-extension' ClusterRole) or rotate the credentials."));

            checks.Add(await QuotaCheckAsync(client.Value, request.Quota, cancellationToken).ConfigureAwait(false));

            types = await KubernetesProbe.ClusterCustomObjectNamesAsync(client.Value, ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, cancellationToken).ConfigureAwait(false) ?? [];
            var wanted = string.IsNullOrWhiteSpace(request.DefaultInstanceType) ? ComputeTarget.DefaultInstanceTypeName : request.DefaultInstanceType.Trim();
            checks.Add(types.Contains(wanted, StringComparer.Ordinal)
                ? CheckResult.Pass("instanceTypes", "Instance types", $"{types.Count} available: {string.Join(", ", types)}; default '{wanted}'.")
                : CheckResult.Fail("instanceTypes", "Instance types", types.Count == 0 ? "No instance type exists on the cluster." : $"Instance type '{wanted}' does not exist; available: {string.Join(", ", types)}.", "Choose an existing instance type, or install the extension again to restore 'defaultinstancetype'."));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            checks.Add(CheckResult.Fail("connection", "Connection", KubernetesProbe.Describe(e), "Check the cluster's connection from the cluster page."));
        }

        return new PreflightReport(checks, exists, usedBy, types);
    }

    private static async Task<CheckResult> QuotaCheckAsync(IKubernetes client, NamespaceQuota? quota, CancellationToken ct)
    {
        const string title = "Quota headroom";
        if (quota is null or { IsEmpty: true })
        {
            return CheckResult.Pass("quota", title, "No quota: workloads share the whole cluster.");
        }

        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
        decimal Total(string resource) => nodes.Items.Sum(n => n.Status?.Allocatable is { } a && a.TryGetValue(resource, out var q) ? q.ToDecimal() : 0m);
        var over = new List<string>();
        if (quota.Cpu is not null && new ResourceQuantity(quota.Cpu).ToDecimal() > Total("cpu"))
        {
            over.Add($"CPU {quota.Cpu} > {Total("cpu")} allocatable");
        }

        if (quota.Memory is not null && new ResourceQuantity(quota.Memory).ToDecimal() > Total("memory"))
        {
            over.Add($"memory {quota.Memory} > {new ResourceQuantity($"{Total("memory") / (1024m * 1024 * 1024):0.#}Gi")} allocatable");
        }

        if (quota.Gpu is { } gpu && gpu > Total("nvidia.com/gpu"))
        {
            over.Add($"GPU {gpu} > {Total("nvidia.com/gpu")} allocatable");
        }

        return over.Count == 0
            ? CheckResult.Pass("quota", title, $"The quota fits the cluster's allocatable capacity ({Total("cpu")} CPU, {Total("nvidia.com/gpu")} GPU).")
            : CheckResult.Fail("quota", title, $"The quota exceeds the whole cluster: {string.Join("; ", over)}.", "Lower the quota, or add nodes.");
    }

    private static List<Error> Validate(Workspace workspace, AttachComputeRequest request)
    {
        var errors = new List<Error>();
        if (ComputeTargetName.Validate(request.Name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }
        else if (workspace.FindComputeTarget(request.Name!) is not null)
        {
            errors.Add(Error.Conflict("compute_exists", $"Workspace '{workspace.Name}' already has a compute target named '{request.Name}'.", "name"));
        }

        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            errors.Add(Error.Validation("cluster", "Choose a cluster."));
        }

        if (Dns1123.ValidateLabel(request.Namespace) is { } nsError)
        {
            errors.Add(Error.Validation("namespace", $"The namespace {nsError}."));
        }

        if (request.Quota is { } q)
        {
            if (q.Cpu is not null && !ResourceQuantityValid(q.Cpu))
            {
                errors.Add(Error.Validation("quotaCpu", $"'{q.Cpu}' is not a CPU quantity (e.g. 4 or 500m)."));
            }

            if (q.Memory is not null && !ResourceQuantityValid(q.Memory))
            {
                errors.Add(Error.Validation("quotaMemory", $"'{q.Memory}' is not a memory quantity (e.g. 16Gi)."));
            }

            if (q.Gpu is < 0)
            {
                errors.Add(Error.Validation("quotaGpu", "The GPU quota must be zero or more."));
            }
        }

        if (request.DefaultInstanceType is { Length: > 0 } it && Dns1123.ValidateSubdomain(it.Trim()) is { } itError)
        {
            errors.Add(Error.Validation("defaultInstanceType", $"The default instance type {itError}."));
        }

        return errors;
    }

    private static bool ResourceQuantityValid(string value)
    {
        try
        {
            return new ResourceQuantity(value).ToDecimal() >= 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
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

    private static string Describe(IReadOnlyList<string> names, string noun) =>
        names.Count == 0 ? string.Empty : $"{names.Count} {noun}{(names.Count == 1 ? string.Empty : "s")} ({string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", …" : string.Empty)})";

    private static async Task<List<string>> UsersOfNamespaceAsync(StudioDbContext db, Guid clusterId, string @namespace, (string Workspace, string Compute)? except, CancellationToken ct)
    {
        return [.. (await db.AttachmentsAsync(ct).ConfigureAwait(false))
            .Where(a => a.ClusterId == clusterId && a.Namespace == @namespace && !(except is { } e && e.Workspace == a.Workspace && string.Equals(e.Compute, a.Compute, StringComparison.OrdinalIgnoreCase)))
            .Select(a => a.ToString())];
    }

    private static async Task<Dictionary<Guid, string>> ClusterNamesAsync(StudioDbContext db, CancellationToken ct) =>
        await db.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct).ConfigureAwait(false);

    private static Error? Visible(Actor actor, Workspace? workspace, string name) =>
        WorkspaceAccess.Check(actor, workspace, name, WorkspaceRole.Reader);

    private static Error? CanAttach(Actor actor, Workspace? workspace, string name) =>
        WorkspaceAccess.Check(actor, workspace, name, WorkspaceRole.Administrator, "Only administrators attach, change and detach compute targets.");

}
