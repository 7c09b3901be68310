namespace Studio.Domain.Artifacts;

/// <summary>What a job's <c>code</c>, an input's <c>path</c> or a data asset's <c>path</c> points at.</summary>
public enum ArtifactUriKind
{
    /// <summary><c>azureml://datastores/NAME/paths/PATH</c>: a path on a datastore of the workspace.</summary>
    DatastorePath,

    /// <summary><c>azureml:NAME@latest</c> or <c>azureml:NAME:VERSION</c>: a registered data asset (or model).</summary>
    Asset,

    /// <summary><c>https://...</c>: a public or pre-signed URL, read-only.</summary>
    Https,

    /// <summary>A path relative to the job's YAML (<c>./data</c>, <c>src</c>): uploaded with the job.</summary>
    LocalPath,
}
