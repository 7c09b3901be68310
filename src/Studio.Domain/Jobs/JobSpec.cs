namespace Studio.Domain.Jobs;

/// <summary>
/// What a user asks to run: the Azure ML CLI v2 command job, as far as Studio supports it. Built from the submit form
/// or from an imported YAML file; validated into a job by the domain before anything reaches a cluster.
/// </summary>
public sealed record JobSpec
{
    /// <summary>The compute target's name in the workspace (<c>compute: azureml:NAME</c> resolves to it).</summary>
    public required string Compute { get; init; }

    /// <summary>The instance type; null means the compute target's default.</summary>
    public string? InstanceType { get; init; }

    public int InstanceCount { get; init; } = 1;

    /// <summary>A container image, or null when <see cref="Environment"/> names a registered environment.</summary>
    public string? Image { get; init; }

    /// <summary>A named environment registered in the workspace that maps to an image (<c>azureml:NAME[:VERSION]</c>).</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// An environment the job brings (a conda file on <see cref="Image"/>, a Docker build context, or <c>file:env.yml</c>);
    /// null when <see cref="Image"/> or <see cref="Environment"/> says everything.
    /// </summary>
    public JobEnvironment? InlineEnvironment { get; init; }

    /// <summary>The command, with <c>${{inputs.x}}</c> placeholders before substitution.</summary>
    public required string Command { get; init; }

    /// <summary>Literal inputs (<c>inputs.x: value</c>) substituted into the command.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Data inputs (<c>inputs.x: {type: uri_folder, path: ./data}</c>) fetched into the pod; <c>${{inputs.x}}</c> is their path there.</summary>
    public IReadOnlyDictionary<string, JobDataInput> DataInputs { get; init; } = new Dictionary<string, JobDataInput>();

    /// <summary>Data outputs (<c>outputs.y: {type: uri_folder}</c>) uploaded when the command ends; <c>${{outputs.y}}</c> is their folder in the pod.</summary>
    public IReadOnlyDictionary<string, JobDataOutput> DataOutputs { get; init; } = new Dictionary<string, JobDataOutput>();

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    public Distribution Distribution { get; init; } = Distribution.None;

    /// <summary><c>limits.timeout</c>: the job fails with DeadlineExceeded after this long.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Higher runs first when capacity is short.</summary>
    public int? Priority { get; init; }

    public string? DisplayName { get; init; }

    public string? ExperimentName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Retries of a failed pod before the job fails (Kubernetes <c>backoffLimit</c>).</summary>
    public int MaxRetries { get; init; }

    /// <summary>Extra annotations on every pod (advanced: sidecar injection, or the sandbox's simulated workload settings).</summary>
    public IReadOnlyDictionary<string, string> PodAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>code:</c> as the YAML names it (<c>src</c>, <c>./</c>): the folder, relative to the YAML, that becomes the job's
    /// working directory. It is uploaded with the job and stored as <see cref="CodeSnapshot"/>.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>The stored code snapshot the job runs in (<c>sha256:...</c>, its tree hash); null: only what the image holds.</summary>
    public string? CodeSnapshot { get; init; }

    /// <summary>The job name the user asked for (<c>name:</c> in YAML); null lets Studio derive one.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The command with every <c>${{inputs.x}}</c> replaced by its literal value, or a data input's path in the pod, and
    /// every <c>${{outputs.y}}</c> by the output's path in the pod
    /// (unknown placeholders are kept).
    /// </summary>
    public string ResolvedCommand()
    {
        var values = new Dictionary<string, string>(Inputs, StringComparer.Ordinal);
        foreach (var (name, input) in DataInputs)
        {
            values.TryAdd(name, input.MountPath(name));
        }

        return JobSpecRules.Substitute(Command, values, DataOutputs.ToDictionary(o => o.Key, o => o.Value.MountPath(o.Key), StringComparer.Ordinal));
    }

    /// <summary>Per-field errors (field names as in the submit form / YAML paths), empty when the spec can be submitted.</summary>
    public IReadOnlyList<Common.Error> Validate() => JobSpecRules.Validate(this);
}
