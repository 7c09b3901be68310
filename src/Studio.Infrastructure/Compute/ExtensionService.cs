using k8s;
using k8s.Autorest;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Compute;

/// <summary>
/// Installs, checks, updates and uninstalls the Studio cluster extension: the InstanceType CRD, RBAC for Studio's
/// service account, the settings ConfigMap and the default instance type, all applied with server-side apply.
/// </summary>
public sealed class ExtensionService(UnitOfWorkFactory units, KubernetesClientFactory clients, TimeProvider clock)
{
    public const string DirectPath = "Kubernetes API (server-side apply, field manager 'studio')";

    /// <summary>Lists every object an install with <paramref name="settings"/> creates or changes, with its YAML.</summary>
    public async Task<Result<ExtensionPlan>> PlanAsync(Actor actor, string clusterName, ExtensionSettings settings, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can install the extension.");
        }

        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return Result<ExtensionPlan>.Failure(errors);
        }

        var (cluster, client, error) = await ConnectAsync(clusterName, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        try
        {
            var changes = new List<PlannedChange>();
            foreach (var o in ExtensionManifests.Extension(settings))
            {
                var action = await PlanAsync(client!, o, cancellationToken).ConfigureAwait(false);
                changes.Add(new PlannedChange(o.ApiVersion, o.Kind, o.Namespace, o.Name, action, o.Yaml));
            }

            var configMap = await ServerSideApplier.ReadAsync(client!, Settings(), cancellationToken).ConfigureAwait(false);
            var installed = ExtensionSettings.FromData(configMap?["data"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty));
            var fromAzure = cluster!.Kind is ClusterKind.Aks or ClusterKind.Arc;
            return new ExtensionPlan(cluster.Name, fromAzure ? DirectPath + "; the Azure Resource Manager path (Microsoft.KubernetesConfiguration/extensions, type Microsoft.AzureML.Kubernetes) is not used — its mapped settings are shown for reference" : DirectPath, changes)
            {
                Warnings = settings.UpdateWarnings(installed),
                ArmConfigurationSettings = fromAzure ? settings.ToArmConfigurationSettings() : null,
            };
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return Unreachable(cluster!.Name, e);
        }
    }

    /// <summary>Installs (or updates) the extension: applies the plan in order. Safe to re-run after any failure.</summary>
    public async Task<Result<ExtensionStatus>> InstallAsync(Actor actor, string clusterName, ExtensionSettings settings, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can install the extension.");
        }

        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return Result<ExtensionStatus>.Failure(errors);
        }

        var (cluster, client, error) = await ConnectAsync(clusterName, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var applied = new List<string>();
        string? failure = null;
        foreach (var o in ExtensionManifests.Extension(settings))
        {
            try
            {
                await ServerSideApplier.ApplyAsync(client!, o, cancellationToken).ConfigureAwait(false);
                applied.Add(o.Key);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                failure = $"Applying {o.Key} failed. {KubernetesProbe.Describe(e)} Everything before it was applied; install again to continue — it converges.";
                break;
            }
        }

        await AuditAsync(actor, failure is null ? "extension.install" : "extension.install-failed", cluster!.Name, failure ?? $"applied {applied.Count} objects: {string.Join(", ", applied)}", cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return Error.Conflict("install_failed", failure);
        }

        return await CheckAsync(cluster, client!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the installed settings and runs the health checks.</summary>
    public async Task<Result<ExtensionStatus>> StatusAsync(string clusterName, CancellationToken cancellationToken)
    {
        var (cluster, client, error) = await ConnectAsync(clusterName, cancellationToken).ConfigureAwait(false);
        return error is not null ? error : await CheckAsync(cluster!, client!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the extension's objects; refused while compute targets use the cluster unless forced. Never deletes user namespaces.</summary>
    public async Task<Result> UninstallAsync(Actor actor, string clusterName, bool force, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Result.Failure(Error.Forbidden("Only administrators can uninstall the extension."));
        }

        var (cluster, client, error) = await ConnectAsync(clusterName, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return Result.Failure(error);
        }

        await using (var work = units.Begin())
        {
            var targets = (await work.Db.AttachmentsAsync(cancellationToken).ConfigureAwait(false)).Where(a => a.ClusterId == cluster!.Id).Select(a => a.ToString()).ToList();
            if (targets.Count > 0 && !force)
            {
                return Result.Failure(Error.Conflict("extension_in_use", $"Cluster '{cluster!.Name}' is attached as {string.Join(", ", targets)}. Detach those compute targets first, or force the uninstall (their workloads then stop being managed)."));
            }
        }

        try
        {
            var all = ExtensionManifests.Extension(new ExtensionSettings { EnableInference = true }).Reverse();
            foreach (var o in all.Where(o => o.Kind != "InstanceType"))
            {
                await ServerSideApplier.DeleteAsync(client!, o, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return Result.Failure(Error.Conflict("uninstall_failed", $"Uninstall stopped half-way. {KubernetesProbe.Describe(e)} Run it again to finish."));
        }

        await AuditAsync(actor, "extension.uninstall", cluster!.Name, force ? "forced" : null, cancellationToken).ConfigureAwait(false);
        return Result.Success();
    }

    internal async Task<ExtensionStatus> CheckAsync(Cluster cluster, IKubernetes client, CancellationToken cancellationToken)
    {
        var checks = new List<CheckResult>();
        ExtensionSettings? settings = null;
        var installed = false;
        try
        {
            var configMap = await ServerSideApplier.ReadAsync(client, Settings(), cancellationToken).ConfigureAwait(false);
            installed = configMap is not null;
            if (configMap is null)
            {
                checks.Add(CheckResult.Fail("settings", "Settings", $"ConfigMap {ExtensionManifests.SystemNamespace}/{ExtensionManifests.SettingsConfigMapName} is missing: the extension is not installed.", "Install the extension from the cluster page."));
            }
            else
            {
                var data = configMap["data"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty);
                settings = ExtensionSettings.FromData(data);
                var invalid = settings?.Validate();
                checks.Add(settings is null || invalid!.Count > 0
                    ? CheckResult.Fail("settings", "Settings", settings is null ? "The settings ConfigMap holds values Studio does not understand." : string.Join(" ", invalid!.Select(e => e.Message)), "Update the extension settings; the ConfigMap is rewritten.")
                    : CheckResult.Pass("settings", "Settings", "Settings are valid."));
            }

            checks.Add(await CrdCheckAsync(client, cancellationToken).ConfigureAwait(false));
            checks.Add(await RbacCheckAsync(client, cancellationToken).ConfigureAwait(false));
            checks.Add(await GpuCheckAsync(client, settings, cancellationToken).ConfigureAwait(false));
            checks.Add(await RouterCheckAsync(client, settings, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            checks.Add(CheckResult.Fail("connection", "Connection", KubernetesProbe.Describe(e), "Check the cluster's connection from the cluster page."));
        }

        return new ExtensionStatus(cluster.Name, installed, settings, checks, clock.GetUtcNow());
    }

    private static async Task<CheckResult> CrdCheckAsync(IKubernetes client, CancellationToken ct)
    {
        const string title = "InstanceType CRD";
        var crd = await ServerSideApplier.ReadAsync(client, ExtensionManifests.Extension(new ExtensionSettings()).Single(o => o.Kind == "CustomResourceDefinition"), ct).ConfigureAwait(false);
        if (crd is null)
        {
            return CheckResult.Fail("crd", title, $"CRD {ExtensionManifests.InstanceTypeCrdName} is missing, so instance types cannot be stored or chosen.", "Install the extension again; it re-creates the CRD (existing compute targets keep working).");
        }

        var established = crd["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Established" && c?["status"]?.GetValue<string>() == "True") ?? false;
        if (!established)
        {
            return CheckResult.Fail("crd", title, $"CRD {ExtensionManifests.InstanceTypeCrdName} exists but is not Established yet.", "Wait a few seconds and re-run the check; if it stays, look at the API server's logs.");
        }

        var types = await KubernetesProbe.ClusterCustomObjectNamesAsync(client, ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypeVersion, ExtensionManifests.InstanceTypePlural, ct).ConfigureAwait(false);
        return types is null or { Count: 0 }
            ? CheckResult.Warn("crd", title, "The CRD is established but no instance type exists, not even the default.", "Install the extension again to re-create 'defaultinstancetype'.")
            : CheckResult.Pass("crd", title, $"Established; {types.Count} instance type(s): {string.Join(", ", types)}.");
    }

    private static async Task<CheckResult> RbacCheckAsync(IKubernetes client, CancellationToken ct)
    {
        const string title = "RBAC";
        var manifests = ExtensionManifests.Extension(new ExtensionSettings());
        foreach (var o in manifests.Where(o => o.Kind is "ServiceAccount" or "ClusterRole" or "ClusterRoleBinding"))
        {
            if (await ServerSideApplier.ReadAsync(client, o, ct).ConfigureAwait(false) is null)
            {
                return CheckResult.Fail("rbac", title, $"{o.Key} is missing, so Studio's service account cannot run workloads.", "Install the extension again; it re-creates the RBAC objects.");
            }
        }

        var denied = new List<string>();
        foreach (var (verb, group, resource) in new[] { ("create", "batch", "jobs"), ("create", "apps", "deployments"), ("create", string.Empty, "services"), ("create", ExtensionManifests.InstanceTypeGroup, ExtensionManifests.InstanceTypePlural) })
        {
            if (!await KubernetesProbe.AllowedAsync(client, verb, group, resource, null, ct).ConfigureAwait(false))
            {
                denied.Add($"{verb} {resource}");
            }
        }

        return denied.Count == 0
            ? CheckResult.Pass("rbac", title, "Service account, ClusterRole and binding exist; Studio's credentials may create jobs, deployments, services and instance types.")
            : CheckResult.Fail("rbac", title, $"Studio's credentials may not: {string.Join(", ", denied)}.", "Grant the credentials these verbs (e.g. bind them to the 'studio-extension' ClusterRole) or rotate them.");
    }

    private static async Task<CheckResult> GpuCheckAsync(IKubernetes client, ExtensionSettings? settings, CancellationToken ct)
    {
        const string title = "GPU device plugin";
        if (settings is not { GpuDevicePluginExpected: true })
        {
            return CheckResult.Pass("gpu", title, "Not expected by the settings.");
        }

        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
        var gpuNodes = nodes.Items.Count(n => n.Status?.Allocatable is { } a && a.TryGetValue("nvidia.com/gpu", out var q) && q.ToDecimal() > 0);
        return gpuNodes > 0
            ? CheckResult.Pass("gpu", title, $"{gpuNodes} of {nodes.Items.Count} node(s) expose nvidia.com/gpu.")
            : CheckResult.Fail("gpu", title, $"GPUs are expected but none of the {nodes.Items.Count} node(s) exposes nvidia.com/gpu.", "Install the NVIDIA device plugin DaemonSet on the GPU nodes (or turn 'GPU device plugin expected' off).");
    }

    private static async Task<CheckResult> RouterCheckAsync(IKubernetes client, ExtensionSettings? settings, CancellationToken ct)
    {
        const string title = "Inference router";
        if (settings is not { EnableInference: true })
        {
            return CheckResult.Pass("router", title, "Inference is off; no router needed.");
        }

        var router = ExtensionManifests.Extension(settings).Single(o => o.Kind == "Service");
        var live = await ServerSideApplier.ReadAsync(client, router, ct).ConfigureAwait(false);
        if (live is null)
        {
            return CheckResult.Fail("router", title, $"Service {router.Key} is missing.", "Update the extension settings; the router Service is re-created.");
        }

        if (settings.InferenceRouterServiceType == InferenceRouterServiceType.LoadBalancer && live["status"]?["loadBalancer"]?["ingress"] is null)
        {
            return CheckResult.Warn("router", title, "The router Service has no load-balancer address yet (E40001 LOAD_BALANCER_NOT_SUPPORT if this cluster has no load balancer).", "Wait, or switch the inference router service type to NodePort or ClusterIP.");
        }

        return CheckResult.Pass("router", title, $"Service {router.Key} ({settings.InferenceRouterServiceType}) exists.");
    }

    private static ManifestObject Settings() => ExtensionManifests.Extension(new ExtensionSettings()).Single(o => o.Kind == "ConfigMap");

    /// <summary>Create when absent, Unchanged when every field Studio sets already has that value, Update otherwise.</summary>
    private static async Task<PlanAction> PlanAsync(IKubernetes client, ManifestObject o, CancellationToken ct)
    {
        var live = await ServerSideApplier.ReadAsync(client, o, ct).ConfigureAwait(false);
        return live is null ? PlanAction.Create : ServerSideApplier.IsApplied(live, o.Body) ? PlanAction.Unchanged : PlanAction.Update;
    }

    private async Task<(Cluster? Cluster, IKubernetes? Client, Error? Error)> ConnectAsync(string clusterName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(clusterName, cancellationToken).ConfigureAwait(false);
        if (cluster is null)
        {
            return (null, null, Error.NotFound($"Cluster '{clusterName}' is not registered."));
        }

        var client = await clients.GetAsync(cluster.Id, cancellationToken).ConfigureAwait(false);
        return client.IsSuccess ? (cluster, client.Value, null) : (cluster, null, client.Errors[0]);
    }

    private static Error Unreachable(string cluster, Exception e) => Error.Conflict("cluster_unreachable", $"Cluster '{cluster}': {KubernetesProbe.Describe(e)}");

    internal async Task AuditAsync(Actor actor, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        work.Db.Audit(clock, actor, action, target, detail);
        await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
