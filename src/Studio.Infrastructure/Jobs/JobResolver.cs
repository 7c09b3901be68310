using k8s;
using Microsoft.Extensions.Options;
using Studio.Domain;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Resolves what a job spec names in its workspace — compute target, instance type (from the shared informer when it is
/// synced), image or named environment, the cluster's client — and the fit, quota and image checks shared by submit,
/// pre-flight, preview and the pending explainer.
/// </summary>
public sealed class JobResolver(
    KubernetesClientFactory clients,
    InventoryRegistry inventories,
    EnvironmentCatalog environments,
    IOptions<JobsOptions> options,
    IOptions<PodAnnotationOptions> annotations,
    InstanceTypeCatalog catalog,
    EnvironmentBuilds builds)
{
    /// <summary>The spec's own rules plus the pod annotations this studio lets jobs set (<see cref="PodAnnotationOptions"/>).</summary>
    public IReadOnlyList<Error> Validate(JobSpec spec) => JobSpecRules.Validate(spec, annotations.Value.Effective);

    /// <summary>Whether the job's image is built from its Docker context (it names no image or environment of its own).</summary>
    public static bool IsBuilt(JobSpec spec) =>
        spec.InlineEnvironment is { IsBuild: true, NeedsFiles: false } && string.IsNullOrWhiteSpace(spec.Image) && string.IsNullOrWhiteSpace(spec.Environment);

    internal sealed record Resolution(ComputeTarget Target, InstanceType InstanceType, string Image, IKubernetes? Client, string? ClientProblem, IReadOnlyDictionary<string, string> ExtensionSelector);

    internal async Task<Result<Resolution>> ResolveAsync(Workspace workspace, JobSpec spec, CancellationToken cancellationToken)
    {
        var errors = Validate(spec).ToList();
        var target = string.IsNullOrWhiteSpace(spec.Compute) ? null : workspace.FindComputeTarget(spec.Compute.Trim());
        if (target is null && !string.IsNullOrWhiteSpace(spec.Compute))
        {
            errors.Add(ComputeMissing(workspace, spec.Compute));
        }
        else if (target is not null && target.State != ComputeTargetState.Succeeded)
        {
            errors.Add(Error.Validation("compute", $"Compute target '{target.Name}' is {target.State}{(target.StateReason is null ? string.Empty : $" ({target.StateReason})")}; jobs run only on a Succeeded compute target."));
        }

        string? image = spec.Image?.Trim();
        if (image is null && !string.IsNullOrWhiteSpace(spec.Environment))
        {
            image = environments.Resolve(workspace, spec.Environment);
            if (image is null)
            {
                errors.Add(Error.Validation("environment", $"Environment '{spec.Environment}' is not registered. Known environments: {string.Join(", ", environments.Known(workspace))}; or give an image."));
            }
        }

        if (image is null && spec.InlineEnvironment is { NeedsFiles: true } unread)
        {
            errors.Add(JobCode.FilesNotSent(unread));
        }
        else if (image is null && spec.InlineEnvironment is { IsBuild: true } && errors.All(e => !(e.Field ?? string.Empty).StartsWith("environment", StringComparison.Ordinal)))
        {
            var built = builds.ImageFor(spec.InlineEnvironment);
            if (built.IsSuccess)
            {
                image = built.Value;
            }
            else
            {
                errors.AddRange(built.Errors);
            }
        }

        InstanceType? type = null;
        if (target is not null && errors.All(e => e.Field != "compute"))
        {
            var chosen = target.ChooseInstanceType(spec.InstanceType);
            var found = chosen.IsSuccess ? await InstanceTypeAsync(target.ClusterId, chosen.Value, cancellationToken).ConfigureAwait(false) : null;
            if (!chosen.IsSuccess)
            {
                errors.AddRange(chosen.Errors);
            }
            else if (found!.IsSuccess)
            {
                type = found.Value;
                if (NeverFitsQuota(target, type, spec.InstanceCount) is { } quotaError)
                {
                    errors.Add(quotaError);
                }
            }
            else
            {
                errors.Add(Error.Validation("resources.instance_type", found.Errors[0].Message));
            }
        }

        if (errors.Count > 0)
        {
            return Result<Resolution>.Failure(errors);
        }

        var client = await clients.GetAsync(target!.ClusterId, cancellationToken).ConfigureAwait(false);
        var extensionSelector = await catalog.ExtensionSelectorAsync(target.ClusterId, cancellationToken).ConfigureAwait(false);
        return new Resolution(target, type!, image!, client.IsSuccess ? client.Value : null, client.IsSuccess ? null : client.Errors[0].Message, extensionSelector);
    }

    internal JobPlan Plan(Workspace workspace, Resolution r, string name, JobSpec spec, GangScheduler gang)
    {
        // Pods match both the instance type's and the extension-wide node selector (reference §1.6).
        var selector = new Dictionary<string, string>(r.ExtensionSelector, StringComparer.Ordinal);
        foreach (var (key, value) in r.InstanceType.NodeSelector)
        {
            selector[key] = value;
        }

        var type = selector.Count == r.InstanceType.NodeSelector.Count ? r.InstanceType : r.InstanceType with { NodeSelector = selector };
        return new(workspace.Name, r.Target.Name, r.Target.Namespace, name, spec, type, r.Image, gang, options.Value.RendezvousPort, options.Value.KueueQueue, r.Target.Identity is { Length: > 0 } id && Dns1123.ValidateSubdomain(id) is null ? id : null, workspace.Id, r.Target.PodSecurity);
    }

    private async Task<Result<InstanceType>> InstanceTypeAsync(Guid clusterId, string name, CancellationToken cancellationToken)
    {
        // Fast path for submits: the shared informer already holds the cluster's instance types.
        if (inventories.Peek(clusterId) is { InstanceTypesInstalled: true } inventory && inventory.InstanceTypes.Health.State == InformerState.Synced)
        {
            if (inventory.InstanceTypes.TryGet(name, out var entry) && entry?.InstanceType is { } type)
            {
                return type;
            }

            if (name == InstanceType.DefaultName && entry is null)
            {
                return InstanceType.Default;
            }
        }

        return await catalog.GetAsync(clusterId, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InstanceType>> InstanceTypesAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var listed = await catalog.ListAsync(clusterId, cancellationToken).ConfigureAwait(false);
        return listed.IsSuccess ? listed.Value : [InstanceType.Default];
    }

    /// <summary>The fit of an instance type for this workspace and compute (their ML taints, the extension-wide node selector).</summary>
    internal static JobFitResult Fit(IReadOnlyList<FitNode> nodes, InstanceType type, FitContext context) =>
        JobFit.From(FitCalculator.Evaluate(type, nodes, context));

    internal static Error ComputeMissing(Workspace workspace, string name) => Error.Validation(
        "compute",
        workspace.ComputeTargets.Count == 0
            ? $"Workspace '{workspace.Name}' has no compute targets; ask IT operations to attach a cluster."
            : $"Workspace '{workspace.Name}' has no compute target named '{name}'. Choose one of: {string.Join(", ", workspace.ComputeTargets.Select(c => c.Name))}.");

    public ImageCheck ImageSanity(Workspace workspace, JobSpec spec, List<Error> errors)
    {
        var image = spec.Image?.Trim();
        if (image is null && !string.IsNullOrWhiteSpace(spec.Environment))
        {
            image = environments.Resolve(workspace, spec.Environment);
            if (image is null)
            {
                var error = $"Environment '{spec.Environment}' is not registered. Known environments: {string.Join(", ", environments.Known(workspace))}.";
                errors.Add(Error.Validation("environment", error));
                return new ImageCheck(null, false, [], error);
            }
        }

        if (image is null && spec.InlineEnvironment is { IsBuild: true } build && !build.NeedsFiles)
        {
            var built = builds.ImageFor(build);
            return built.IsSuccess ? new ImageCheck(built.Value, true, [], null) : new ImageCheck(null, false, [], built.Errors[0].Message);
        }

        if (image is null && spec.InlineEnvironment is { NeedsFiles: true } unread)
        {
            return new ImageCheck(null, false, [], $"The image comes from {unread.Describe()}, read from the files sent with the job.");
        }

        if (image is null)
        {
            return new ImageCheck(null, false, [], "No image: choose an image or a named environment.");
        }

        var invalid = JobSpecRules.ValidateImage(image);
        return new ImageCheck(image, invalid is null, invalid is null ? JobSpecRules.ImageWarnings(image) : [], invalid);
    }

    internal static readonly QuotaHeadroom EmptyQuota = new(null, default, null, default, true, "No quota on the namespace.");

    internal static QuotaHeadroom Quota(ClusterInventory inventory, ComputeTarget target, ResourceAmounts jobRequests)
    {
        var used = inventory.Pods.Snapshot().Where(p => p.Namespace == target.Namespace && !p.Terminated).Aggregate(ResourceAmounts.Zero, (sum, p) => sum + p.Requests);
        if (QuotaLimit(target) is not { } limit)
        {
            return new QuotaHeadroom(null, used, null, jobRequests, true, $"No quota on namespace {target.Namespace}.");
        }

        var free = (limit - used).AtLeastZero();
        var fits = free.Fits(jobRequests);
        // Only the resources the quota limits are counted ("16 CPU free"), never an unlimited one as "0 MiB".
        var explanation = fits
            ? $"Namespace {target.Namespace} quota has room: {Limited(free, limit)} free{Unlimited(limit)}, the job needs {JobFit.Describe(jobRequests)}."
            : $"The job needs {JobFit.Describe(jobRequests)} but the quota of namespace {target.Namespace} has only {Limited(free, limit)} free{Unlimited(limit)}; it waits until other jobs there end.";
        return new QuotaHeadroom(Finite(limit), used, Finite(free), jobRequests, fits, explanation);
    }

    /// <summary>
    /// The compute target's quota as amounts (<see cref="long.MaxValue"/> where a resource has no limit), or null when
    /// the target has no quota.
    /// </summary>
    internal static ResourceAmounts? QuotaLimit(ComputeTarget target) => target.Quota is not { IsEmpty: false } quota
        ? null
        : new ResourceAmounts(
            quota.Cpu is { } cpu ? (long)Math.Ceiling(new k8s.Models.ResourceQuantity(cpu).ToDecimal() * 1000m) : long.MaxValue,
            quota.Memory is { } memory ? (long)new k8s.Models.ResourceQuantity(memory).ToDecimal() : long.MaxValue,
            quota.Gpu ?? long.MaxValue);

    /// <summary>
    /// An error when the job's total request (per instance × instances) exceeds the compute target's quota itself: such a
    /// job can never run there, however long it waits. Null when it fits the quota (it may still queue for headroom).
    /// </summary>
    internal static Error? NeverFitsQuota(ComputeTarget target, InstanceType type, int instanceCount)
    {
        if (QuotaLimit(target) is not { } limit || instanceCount < 1)
        {
            return null;
        }

        var total = Multiply(type.PodRequest, instanceCount);
        if (limit.Fits(total))
        {
            return null;
        }

        var field = instanceCount > 1 && limit.Fits(type.PodRequest) ? "resources.instance_count" : "resources.instance_type";
        var message = $"Never fits this quota: the job asks {JobFit.Describe(total)} ({instanceCount} × {type.Name}), the quota of namespace {target.Namespace} is {JobFit.Describe(Finite(limit))}{Unlimited(limit)}. "
            + (field == "resources.instance_count" ? "Use fewer instances or a smaller instance type" : "Use a smaller instance type") + ", or ask IT operations to raise the quota.";
        return Error.Unprocessable(QuotaNeverFitsCode, field, message);
    }

    /// <summary>The error code of a job whose total request exceeds its compute target's quota (answered 422).</summary>
    public const string QuotaNeverFitsCode = "quota_never_fits";

    private static string Unlimited(ResourceAmounts limit)
    {
        var parts = new List<string>();
        if (limit.CpuMillis == long.MaxValue)
        {
            parts.Add("CPU");
        }

        if (limit.MemoryBytes == long.MaxValue)
        {
            parts.Add("memory");
        }

        if (limit.Gpus == long.MaxValue)
        {
            parts.Add("GPUs");
        }

        return parts.Count == 0 ? string.Empty : $" (no limit on {string.Join(", ", parts)})";
    }

    /// <summary>The amounts of the resources <paramref name="limit"/> limits ("16 CPU, 2 GPUs"), leaving out the unlimited ones.</summary>
    internal static string Limited(ResourceAmounts amounts, ResourceAmounts limit)
    {
        var parts = new List<string>();
        if (limit.CpuMillis != long.MaxValue)
        {
            parts.Add(HumanUnits.Cpu(amounts.CpuMillis));
        }

        if (limit.MemoryBytes != long.MaxValue)
        {
            parts.Add(HumanUnits.Bytes(Math.Max(0, amounts.MemoryBytes)));
        }

        if (limit.Gpus != long.MaxValue)
        {
            parts.Add(HumanUnits.Gpus(amounts.Gpus));
        }

        return string.Join(", ", parts);
    }

    private static ResourceAmounts Finite(ResourceAmounts a) => new(a.CpuMillis == long.MaxValue ? 0 : a.CpuMillis, a.MemoryBytes == long.MaxValue ? 0 : a.MemoryBytes, a.Gpus == long.MaxValue ? 0 : a.Gpus);

    internal static ResourceAmounts Multiply(ResourceAmounts a, int n) => new(a.CpuMillis * n, a.MemoryBytes * n, a.Gpus * n);

    internal static InstanceType? Closest(IEnumerable<InstanceType> candidates, InstanceType wanted)
    {
        candidates = candidates.Where(t => CanStandIn(t, wanted));
        static double Distance(InstanceType t, InstanceType w) =>
            Math.Abs(Math.Log((t.Requests.CpuMillis + 1.0) / (w.Requests.CpuMillis + 1.0)))
            + Math.Abs(Math.Log((t.Requests.MemoryBytes + 1.0) / (w.Requests.MemoryBytes + 1.0)))
            + (Math.Abs(t.Limits.Gpus - w.Limits.Gpus) * 2.0)
            + (t.Limits.Gpus < w.Limits.Gpus ? 5.0 : 0.0);
        return candidates.OrderBy(t => Distance(t, wanted)).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Whether <paramref name="other"/> may be offered instead of <paramref name="wanted"/>: a GPU job is never offered a CPU-only type.</summary>
    internal static bool CanStandIn(InstanceType other, InstanceType wanted) => wanted.Limits.Gpus == 0 || other.Limits.Gpus > 0;

    internal static Dictionary<string, string> ErrorMap(IReadOnlyList<Error> errors) =>
        errors.GroupBy(e => e.Field ?? string.Empty).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message)), StringComparer.Ordinal);
}
