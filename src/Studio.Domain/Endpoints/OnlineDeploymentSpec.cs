namespace Studio.Domain.Endpoints;

/// <summary>
/// What a user asks for a Kubernetes online deployment (§4.3): model, scoring code, environment (a registered one or an
/// image), instance type or own <c>resources</c>, replicas and their scaling, request settings, probes and environment
/// variables. Defaults are Azure ML's; <see cref="DeploymentSpecRules"/> holds the rules.
/// </summary>
public sealed record OnlineDeploymentSpec
{
    public required string Name { get; init; }

    public required string EndpointName { get; init; }

    /// <summary>The model served; optional for a custom container that carries its own.</summary>
    public DeploymentModel? Model { get; init; }

    public CodeConfiguration? CodeConfiguration { get; init; }

    /// <summary>A registered environment (<c>NAME:VERSION</c>, <c>NAME@latest</c>); or <see cref="Image"/>.</summary>
    public string? Environment { get; init; }

    /// <summary>The container image when the environment is given inline.</summary>
    public string? Image { get; init; }

    /// <summary>The conda file beside an inline image (built into the image by the environments feature).</summary>
    public string? CondaFile { get; init; }

    /// <summary>The instance type; null means the compute target's default.</summary>
    public string? InstanceType { get; init; }

    public DeploymentResources? Resources { get; init; }

    public int InstanceCount { get; init; } = 1;

    public ScaleSettings ScaleSettings { get; init; } = ScaleSettings.Default;

    public RequestSettings RequestSettings { get; init; } = RequestSettings.Default;

    public ProbeSettings LivenessProbe { get; init; } = ProbeSettings.Default;

    public ProbeSettings ReadinessProbe { get; init; } = ProbeSettings.Default;

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    public bool AppInsightsEnabled { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The replicas to start with: <c>instance_count</c>, or <c>min_instances</c> under target utilization.</summary>
    public int InitialReplicas => ScaleSettings.Type == ScaleType.TargetUtilization ? ScaleSettings.MinInstances : InstanceCount;

    /// <summary>The errors of this spec by YAML path; empty when valid. Checks against the instance type are in <see cref="DeploymentSpecRules.ValidateResources"/>.</summary>
    public IReadOnlyList<Common.Error> Validate() => DeploymentSpecRules.Validate(this);
}
