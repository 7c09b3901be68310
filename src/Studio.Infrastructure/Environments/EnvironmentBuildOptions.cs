namespace Studio.Infrastructure.Environments;

/// <summary>
/// Building job images in the cluster (<c>Studio:Environments:Build</c>): with a <see cref="Registry"/>, an environment
/// from a Docker context (<c>build:</c>) or a conda file is built by a Kubernetes Job running kaniko and pushed there;
/// without one, a conda file is installed when the container starts and a Docker context cannot run.
/// </summary>
public sealed class EnvironmentBuildOptions
{
    public const string SectionName = "Studio:Environments:Build";

    /// <summary>Where built images are pushed (<c>myregistry.azurecr.io/studio</c>); empty: no builds.</summary>
    public string? Registry { get; set; }

    /// <summary>The name of a docker-config Secret (<c>kubernetes.io/dockerconfigjson</c>) in the compute namespace that may push to <see cref="Registry"/>; its content never reaches the studio.</summary>
    public string? PushSecret { get; set; }

    /// <summary>
    /// The namespace builder pods run in on every cluster (it must exist, hold <see cref="PushSecret"/> and admit the
    /// <c>baseline</c> Pod Security Standard: kaniko runs as root); empty: the job's compute namespace.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>How often running builds are followed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The daemonless builder.</summary>
    public string BuilderImage { get; set; } = "gcr.io/kaniko-project/executor:v1.23.2";

    /// <summary>How long a build may run before it fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether builds are configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Registry);
}
