using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Compute;

/// <summary>Pre-flight: every attach check (extension, namespace, permissions, quota headroom, instance types) without changing anything.</summary>
public sealed partial class ComputeService
{
    /// <summary>Runs every attach check without changing anything.</summary>
    public async Task<Result<PreflightReport>> PreflightAsync(Actor actor, string workspaceName, AttachComputeRequest request, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.Administrator, cancellationToken).ConfigureAwait(false);
        if (!workspace.IsSuccess)
        {
            return Result<PreflightReport>.Failure(workspace.Errors);
        }

        var validation = Validate(workspace.Value, request);
        if (validation.Count > 0)
        {
            return Result<PreflightReport>.Failure(validation);
        }

        var cluster = await work.Clusters.FindByNameAsync(request.Cluster!, cancellationToken).ConfigureAwait(false);
        if (cluster is null)
        {
            return Error.Validation("cluster", $"Cluster '{request.Cluster}' is not registered.");
        }

        var usedBy = await UsersOfNamespaceAsync(work.Db, cluster.Id, request.Namespace!, null, cancellationToken).ConfigureAwait(false);
        return await PreflightAsync(cluster, request, usedBy, cancellationToken).ConfigureAwait(false);
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
        else if (ComputeNamespaces.Refusal(request.Namespace!.Trim()) is { } reserved)
        {
            errors.Add(Error.Unprocessable("namespace_reserved", "namespace", reserved));
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
}
