namespace Studio.Domain.AzureMl;

/// <summary>
/// A recognised Azure ML CLI v2 YAML file: its kind, the schema name it declared (<c>kubernetesOnlineDeployment</c>, or
/// null when recognised by its keys), what it is in words and where Studio takes it.
/// </summary>
public sealed record AzureMlFile(AzureMlFileKind Kind, string? SchemaName)
{
    /// <summary>"a Kubernetes online deployment": what the file is, for messages.</summary>
    public string Description => Kind switch
    {
        AzureMlFileKind.CommandJob => "a command job",
        AzureMlFileKind.SweepJob => "a sweep job",
        AzureMlFileKind.PipelineJob => "a pipeline job",
        AzureMlFileKind.AutoMLJob => "an AutoML job",
        AzureMlFileKind.SparkJob => "a Spark job",
        AzureMlFileKind.Component => $"a component ({SchemaName})",
        AzureMlFileKind.KubernetesOnlineEndpoint => "a Kubernetes online endpoint",
        AzureMlFileKind.KubernetesOnlineDeployment => "a Kubernetes online deployment",
        AzureMlFileKind.ManagedOnlineEndpoint => "a managed (Azure-hosted) online endpoint",
        AzureMlFileKind.ManagedOnlineDeployment => "a managed (Azure-hosted) online deployment",
        AzureMlFileKind.BatchEndpoint => "a batch endpoint",
        AzureMlFileKind.BatchDeployment => "a batch deployment",
        AzureMlFileKind.Model => "a model",
        AzureMlFileKind.Data => "a data asset",
        AzureMlFileKind.Environment => "an environment",
        AzureMlFileKind.Compute => "a compute definition",
        AzureMlFileKind.Datastore => "a datastore",
        AzureMlFileKind.Workspace => "a workspace definition",
        _ => SchemaName is null ? "an unrecognised file" : $"an unrecognised Azure ML file ({SchemaName})",
    };

    /// <summary>Where Studio takes this kind of file: the page and the API route, or what to change first.</summary>
    public string Destination => Kind switch
    {
        AzureMlFileKind.CommandJob => "submit it on the Jobs page / POST /api/workspaces/{workspace}/jobs.",
        AzureMlFileKind.SweepJob or AzureMlFileKind.PipelineJob or AzureMlFileKind.AutoMLJob or AzureMlFileKind.SparkJob =>
            "Studio runs command jobs only (type: command, with a command and an environment).",
        AzureMlFileKind.Component => "Studio does not run components; use the command job it wraps (type: command).",
        AzureMlFileKind.KubernetesOnlineEndpoint => "import it on the Endpoints page / PUT /api/workspaces/{workspace}/endpoints/{endpoint}.",
        AzureMlFileKind.KubernetesOnlineDeployment => "import it on the Endpoints page / POST /api/workspaces/{workspace}/endpoints/{endpoint}/deployments.",
        AzureMlFileKind.ManagedOnlineEndpoint =>
            "Studio serves endpoints on Kubernetes: set a Kubernetes compute (compute: azureml:<compute target>), use the kubernetesOnlineEndpoint $schema and import it on the Endpoints page.",
        AzureMlFileKind.ManagedOnlineDeployment =>
            "Studio deploys to Kubernetes: set type: kubernetes (and the kubernetesOnlineDeployment $schema) on an endpoint with a Kubernetes compute, then import it on the Endpoints page.",
        AzureMlFileKind.BatchEndpoint or AzureMlFileKind.BatchDeployment => "batch inference is not available in Studio yet; run the scoring as a command job.",
        AzureMlFileKind.Model => "register it on the Models page / POST /api/workspaces/{workspace}/models.",
        AzureMlFileKind.Data => "register it on the Data page / POST /api/workspaces/{workspace}/data.",
        AzureMlFileKind.Environment => "register it on the Environments page / POST /api/workspaces/{workspace}/environments.",
        AzureMlFileKind.Compute => "IT operations attach Kubernetes compute targets on the Compute page.",
        AzureMlFileKind.Datastore => "register it on the Datastores page.",
        AzureMlFileKind.Workspace => "create workspaces on the Workspaces page.",
        _ => "check its $schema.",
    };

    /// <summary>Whether the file is an online endpoint or deployment of either hosting type.</summary>
    public bool IsOnline => Kind is AzureMlFileKind.KubernetesOnlineEndpoint or AzureMlFileKind.KubernetesOnlineDeployment
        or AzureMlFileKind.ManagedOnlineEndpoint or AzureMlFileKind.ManagedOnlineDeployment;

    /// <summary>"This is a Kubernetes online deployment, not a command job: import it on the Endpoints page / POST ...".</summary>
    public string Misrouted(string expected) => $"This is {Description}, not {expected}: {Destination}";
}
