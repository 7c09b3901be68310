namespace Studio.Domain.AzureMl;

/// <summary>What an Azure ML CLI v2 YAML file is, by its <c>$schema</c> (or, without one, by its telling keys).</summary>
public enum AzureMlFileKind
{
    /// <summary>No <c>$schema</c> and no telling keys, or a schema Studio does not know.</summary>
    Unknown,
    CommandJob,
    SweepJob,
    PipelineJob,
    AutoMLJob,
    SparkJob,
    Component,
    KubernetesOnlineEndpoint,
    KubernetesOnlineDeployment,
    ManagedOnlineEndpoint,
    ManagedOnlineDeployment,
    BatchEndpoint,
    BatchDeployment,
    Model,
    Data,
    Environment,
    Compute,
    Datastore,
    Workspace,
}
