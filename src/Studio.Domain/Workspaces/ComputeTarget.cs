using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// A cluster attached to a workspace, bound to one namespace. Everything but the identity is fixed at attach time
/// (as in Azure ML, where changing a Kubernetes compute means detach and reattach); the state moves
/// Creating → Succeeded | Failed, and any of those → Detaching.
/// </summary>
public sealed class ComputeTarget
{
    public const string DefaultInstanceTypeName = "defaultinstancetype";

    private ComputeTarget()
    {
        Name = string.Empty;
        Namespace = string.Empty;
        DefaultInstanceType = DefaultInstanceTypeName;
    }

    internal ComputeTarget(string name, Guid clusterId, string @namespace, string? description, DateTimeOffset attachedAt, string? defaultInstanceType = null, NamespaceQuota? quota = null, bool namespaceCreatedByStudio = false)
    {
        Name = name;
        ClusterId = clusterId;
        Namespace = @namespace;
        Description = description;
        AttachedAt = attachedAt;
        DefaultInstanceType = string.IsNullOrWhiteSpace(defaultInstanceType) ? DefaultInstanceTypeName : defaultInstanceType.Trim();
        QuotaCpu = quota?.Cpu;
        QuotaMemory = quota?.Memory;
        QuotaGpu = quota?.Gpu;
        NamespaceCreatedByStudio = namespaceCreatedByStudio;
        State = ComputeTargetState.Creating;
    }

    public string Name { get; private set; }

    public Guid ClusterId { get; private set; }

    /// <summary>The Kubernetes namespace every workload of this compute target runs in. Immutable, as in Azure ML.</summary>
    public string Namespace { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset AttachedAt { get; private set; }

    public ComputeTargetState State { get; private set; }

    /// <summary>Why the target is Failed (the cluster's own words where there are any).</summary>
    public string? StateReason { get; private set; }

    /// <summary>The instance type used when a workload names none.</summary>
    public string DefaultInstanceType { get; private set; }

    public string? QuotaCpu { get; private set; }

    public string? QuotaMemory { get; private set; }

    public int? QuotaGpu { get; private set; }

    public NamespaceQuota? Quota => QuotaCpu is null && QuotaMemory is null && QuotaGpu is null ? null : new NamespaceQuota(QuotaCpu, QuotaMemory, QuotaGpu);

    /// <summary>Whether Studio created the namespace (only then may detach delete it).</summary>
    public bool NamespaceCreatedByStudio { get; private set; }

    /// <summary>The identity workloads use (e.g. a service account or a managed identity id); the one editable property.</summary>
    public string? Identity { get; private set; }

    public void SetIdentity(string? identity) => Identity = string.IsNullOrWhiteSpace(identity) ? null : identity.Trim();

    /// <summary>The Pod Security Standard of this target's workloads and namespace; only administrators change it.</summary>
    public PodSecurityLevel PodSecurity { get; private set; } = PodSecurityLevel.Restricted;

    /// <summary>Chooses the Pod Security Standard (Baseline for images that need root); takes effect for jobs submitted afterwards.</summary>
    public void SetPodSecurity(PodSecurityLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            throw new DomainException($"Unknown pod security level {(int)level}.");
        }

        PodSecurity = level;
    }

    /// <summary>Most instance types a restriction may list.</summary>
    public const int MaxAllowedInstanceTypes = 64;

    // Stored as one comma-separated column; null means every instance type of the cluster is allowed.
    private string? _allowedInstanceTypes;

    /// <summary>
    /// The instance types this compute target's workloads may use (Azure ML's compute <c>instanceTypes</c>); empty
    /// means all of the cluster's.
    /// </summary>
    public IReadOnlyList<string> AllowedInstanceTypes =>
        string.IsNullOrEmpty(_allowedInstanceTypes) ? [] : _allowedInstanceTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The restriction of <see cref="AllowedInstanceTypes"/> as the rule every workload is checked against.</summary>
    public InstanceTypeRestriction InstanceTypes => new(AllowedInstanceTypes);

    /// <summary>Whether workloads of this target may use <paramref name="instanceType"/>.</summary>
    public bool Allows(string instanceType) => InstanceTypes.Allows(instanceType);

    /// <summary>
    /// The instance type a workload runs with: <paramref name="requested"/>, or the target's default when it names none;
    /// either must be allowed here (an error on <paramref name="field"/> naming the allowed ones otherwise).
    /// </summary>
    public Result<string> ChooseInstanceType(string? requested, string field = "resources.instance_type")
    {
        var name = string.IsNullOrWhiteSpace(requested) ? DefaultInstanceType : requested.Trim();
        return InstanceTypes.Check(name, Name, field) is { } refused ? Result<string>.Failure(refused) : Result<string>.Ok(name);
    }

    /// <summary>
    /// Chooses the default instance type and the restriction list (null or empty: all allowed). The default must be one
    /// of the allowed ones. Existence on the cluster is checked by the caller, which can see the cluster.
    /// </summary>
    public Result SetInstanceTypes(string? defaultInstanceType, IReadOnlyCollection<string>? allowed)
    {
        var errors = new List<Error>();
        var chosen = string.IsNullOrWhiteSpace(defaultInstanceType) ? DefaultInstanceTypeName : defaultInstanceType.Trim();
        if (Dns1123.ValidateSubdomain(chosen) is { } defaultError)
        {
            errors.Add(Error.Validation("defaultInstanceType", $"The default instance type {defaultError}."));
        }

        var list = (allowed ?? []).Select(a => a?.Trim() ?? string.Empty).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count > MaxAllowedInstanceTypes)
        {
            errors.Add(Error.Validation("allowedInstanceTypes", $"At most {MaxAllowedInstanceTypes} instance types."));
        }

        foreach (var name in list.Where(n => Dns1123.ValidateSubdomain(n) is not null))
        {
            errors.Add(Error.Validation("allowedInstanceTypes", $"'{name}' is not an instance type name: {Dns1123.ValidateSubdomain(name)}."));
        }

        if (list.Count > 0 && !list.Contains(chosen, StringComparer.Ordinal))
        {
            errors.Add(Error.Validation("defaultInstanceType", $"The default '{chosen}' must be one of the allowed instance types ({string.Join(", ", list)})."));
        }

        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        DefaultInstanceType = chosen;
        _allowedInstanceTypes = list.Count == 0 ? null : string.Join(',', list);
        return Result.Success();
    }

    /// <summary>The cluster objects exist: the target is usable.</summary>
    public void MarkSucceeded()
    {
        if (State == ComputeTargetState.Detaching)
        {
            throw new DomainException($"Compute target '{Name}' is being detached; it cannot succeed.");
        }

        State = ComputeTargetState.Succeeded;
        StateReason = null;
    }

    /// <summary>Creating the cluster objects failed; a re-attach with the same settings converges.</summary>
    public void MarkFailed(string reason)
    {
        if (State == ComputeTargetState.Detaching)
        {
            throw new DomainException($"Compute target '{Name}' is being detached; it cannot fail.");
        }

        State = ComputeTargetState.Failed;
        StateReason = string.IsNullOrWhiteSpace(reason) ? "Unknown error." : reason.Trim();
    }

    /// <summary>Detach started: the target takes no new work.</summary>
    public void BeginDetach()
    {
        State = ComputeTargetState.Detaching;
        StateReason = null;
    }

    /// <summary>Retry after a failure (Failed → Creating); re-attach with the exact same configuration.</summary>
    public void Retry()
    {
        if (State is not ComputeTargetState.Failed and not ComputeTargetState.Creating)
        {
            throw new DomainException($"Compute target '{Name}' is {State}; only a failed or creating target is retried.");
        }

        State = ComputeTargetState.Creating;
        StateReason = null;
    }
}
