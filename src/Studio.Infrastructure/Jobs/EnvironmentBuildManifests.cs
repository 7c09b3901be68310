using k8s.Models;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The Kubernetes Job that builds a job's image in the cluster with kaniko: an init container fetches the stored build
/// context through a URL signed for that one zip (the same fetch step as a job's code) into <c>/workspace</c>, and the
/// builder runs <c>--context dir:///workspace --dockerfile ... --destination IMAGE</c>. The pod spec carries no
/// credential: the push credential is a reference to the administrator's docker-config Secret
/// (<see cref="EnvironmentBuildOptions.PushSecret"/>), mounted at <c>/kaniko/.docker/</c>. kaniko runs as root (it
/// unpacks the base image and runs the Dockerfile's steps in its own filesystem), so the builder pod meets the
/// <c>baseline</c> Pod Security Standard, not <c>restricted</c>: no privilege, no host access, the runtime's default
/// capabilities and seccomp profile, no service-account token. It is not owned by any training job (jobs share it) and
/// is removed an hour after it ends; its record keeps the log tail.
/// </summary>
public static class EnvironmentBuildManifests
{
    public const string BuildLabel = "studio.io/environment-build";
    public const string BuilderContainer = "build";
    public const string FetchContextContainer = "fetch-context";
    public const string ContextUrlVariable = "STUDIO_CONTEXT_URL";
    public const string WorkspacePath = "/workspace";
    public const string DockerConfigPath = "/kaniko/.docker";

    /// <summary>What the fetch step runs (BusyBox's wget and unzip), as a job's code fetch does.</summary>
    public const string FetchContextScript =
        "set -eu\n" +
        "wget -q -O /tmp/context.zip \"$" + ContextUrlVariable + "\"\n" +
        "unzip -q -o /tmp/context.zip -d " + WorkspacePath + "\n";

    /// <summary>The name of the builder Job of <paramref name="tag"/> (the same for every job that brings the context; the attempt follows it).</summary>
    public static string JobName(string tag) => "studio-build-" + tag[..Math.Min(tag.Length, 32)];

    /// <summary>The builder Job.</summary>
    /// <param name="namespace">Where it runs.</param>
    /// <param name="name">Its name (<see cref="JobName"/> and the attempt).</param>
    /// <param name="tag">The build's tag (the content hash).</param>
    /// <param name="image">Where it pushes.</param>
    /// <param name="dockerfile">The Dockerfile's path in the context.</param>
    /// <param name="contextUrl">The signed URL of the context's zip.</param>
    /// <param name="options">Builder image, push secret, timeout.</param>
    /// <param name="fetchImage">The image of the fetch step.</param>
    public static ManifestObject Build(string @namespace, string name, string tag, string image, string dockerfile, string contextUrl, EnvironmentBuildOptions options, string fetchImage)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ExtensionManifests.ManagedByLabel] = ExtensionManifests.ManagedBy,
            [BuildLabel] = tag[..Math.Min(tag.Length, 63)],
        };
        var workspace = new V1VolumeMount { Name = "workspace", MountPath = WorkspacePath };
        var tmp = new V1VolumeMount { Name = "tmp", MountPath = "/tmp" };
        var volumes = new List<V1Volume>
        {
            new() { Name = "workspace", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        var builderMounts = new List<V1VolumeMount> { workspace };
        if (!string.IsNullOrWhiteSpace(options.PushSecret))
        {
            volumes.Add(new V1Volume
            {
                Name = "push-secret",
                Secret = new V1SecretVolumeSource { SecretName = options.PushSecret.Trim(), Items = [new V1KeyToPath { Key = ".dockerconfigjson", Path = "config.json" }] },
            });
            builderMounts.Add(new V1VolumeMount { Name = "push-secret", MountPath = DockerConfigPath, ReadOnlyProperty = true });
        }

        var pod = new V1PodSpec
        {
            RestartPolicy = "Never",
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            SecurityContext = new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Volumes = volumes,
            InitContainers =
            [
                new V1Container
                {
                    Name = FetchContextContainer,
                    Image = fetchImage,
                    Command = ["/bin/sh", "-c"],
                    Args = [FetchContextScript],
                    Env = [new V1EnvVar { Name = ContextUrlVariable, Value = contextUrl }],
                    VolumeMounts = [workspace, tmp],
                    Resources = Resources("100m", "64Mi", "1", "256Mi"),
                    SecurityContext = new V1SecurityContext
                    {
                        RunAsNonRoot = true,
                        RunAsUser = JobManifests.RestrictedUserId,
                        RunAsGroup = JobManifests.RestrictedUserId,
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = true,
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    },
                },
            ],
            Containers =
            [
                new V1Container
                {
                    Name = BuilderContainer,
                    Image = options.BuilderImage,
                    Args = [$"--context=dir://{WorkspacePath}", $"--dockerfile={WorkspacePath}/{dockerfile}", $"--destination={image}", "--snapshot-mode=redo", "--log-format=text"],
                    VolumeMounts = builderMounts,
                    Resources = Resources("500m", "1Gi", "2", "4Gi"),
                    // kaniko needs root inside its container, and nothing beyond the baseline standard.
                    SecurityContext = new V1SecurityContext { Privileged = false, RunAsUser = 0 },
                },
            ],
        };
        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["studio.io/image"] = image },
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = (long)Math.Ceiling(options.Timeout.TotalSeconds),
                TtlSecondsAfterFinished = 3600,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) }, Spec = pod },
            },
        };
        return new ManifestObject("batch/v1", "Job", @namespace, name, job);
    }

    private static V1ResourceRequirements Resources(string cpu, string memory, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };
}
