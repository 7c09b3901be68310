using System.Text;
using k8s.Models;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A conda file installed when the container starts (no build registry configured): an init container fetches the
/// environment's zip (<c>conda.yml</c>, <c>requirements.txt</c>) by its signed URL into an <c>emptyDir</c>, and the
/// command is wrapped to prepare the environment first — <c>conda env update -n base</c> when conda is on the image (into
/// a prefix on the volume when the base is not writable for the pod's user), else <c>pip install</c> of the <c>pip:</c>
/// list, and a clear failure when neither exists. A failed preparation writes "Environment could not be prepared: …" to
/// the container's termination message, which the job's failure explainer shows.
/// </summary>
public static partial class JobManifests
{
    public const string EnvironmentVolume = "studio-env";
    public const string EnvironmentPath = "/mnt/studio/env";
    public const string FetchEnvironmentContainer = "fetch-environment";
    public const string EnvironmentUrlVariable = "STUDIO_ENVIRONMENT_URL";

    /// <summary>The last line of the wrapper: the job's own command follows.</summary>
    public const string CommandMarker = "# studio: the job's command";

    /// <summary>The words a failed preparation starts its termination message with.</summary>
    public const string EnvironmentFailure = Studio.Domain.Jobs.JobStatusMapping.EnvironmentFailurePrefix;

    /// <summary>The first line of the wrapped command: the sandbox's kubelet and the job page know the install path by it.</summary>
    public const string EnvironmentMarker = "# studio: prepare the job's environment (conda file installed at container start)";

    private static void AddEnvironment(JobPlan plan, V1PodSpec pod)
    {
        if (plan.Environment is not { } environment)
        {
            return;
        }

        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = EnvironmentVolume, EmptyDir = new V1EmptyDirVolumeSource() });
        pod.InitContainers ??= [];
        pod.InitContainers.Add(new V1Container
        {
            Name = FetchEnvironmentContainer,
            Image = plan.FetchImage,
            Command = ["/bin/sh", "-c"],
            Args =
            [
                "set -eu\n" +
                "wget -q -O \"" + EnvironmentPath + "/.studio-env.zip\" \"$" + EnvironmentUrlVariable + "\"\n" +
                "unzip -q -o \"" + EnvironmentPath + "/.studio-env.zip\" -d \"" + EnvironmentPath + "\"\n" +
                "rm -f \"" + EnvironmentPath + "/.studio-env.zip\"\n",
            ],
            Env = [Env(EnvironmentUrlVariable, environment.Url), Env("STUDIO_ENVIRONMENT_HASH", environment.Hash)],
            VolumeMounts = [new V1VolumeMount { Name = EnvironmentVolume, MountPath = EnvironmentPath }],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
            },
        });
        foreach (var container in pod.Containers)
        {
            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = EnvironmentVolume, MountPath = EnvironmentPath });
            container.Args = [EnvironmentPrelude(environment) + container.Args[0]];
        }
    }

    /// <summary>The shell lines that prepare the environment before the command runs.</summary>
    public static string EnvironmentPrelude(JobEnvironmentPlan environment)
    {
        var skipped = environment.CondaOnly.Count == 0
            ? string.Empty
            : $" (conda packages {string.Join(", ", environment.CondaOnly)} need conda and are not installed)";
        var fail = "studio_env_fail() { echo \"" + EnvironmentFailure + " $1\" >&2; echo \"" + EnvironmentFailure + " $1\" > /dev/termination-log 2>/dev/null || true; exit 1; }\n";
        var s = new StringBuilder();
        s.Append(EnvironmentMarker).Append('\n')
            .Append(fail)
            .Append("studio_env=").Append(EnvironmentPath).Append('\n')
            .Append("if command -v conda >/dev/null 2>&1; then\n")
            .Append("  if [ -w \"$(conda info --base)\" ]; then\n")
            .Append("    echo \"studio: installing the conda file with conda (conda env update -n base -f $studio_env/conda.yml)\"\n")
            .Append("    conda env update -n base -f \"$studio_env/conda.yml\" || studio_env_fail \"conda env update exited with code $?; see the lines above.\"\n")
            .Append("  else\n")
            .Append("    echo \"studio: installing the conda file with conda into $studio_env/conda (the image's conda base is not writable for this user)\"\n")
            .Append("    conda env create -p \"$studio_env/conda\" -f \"$studio_env/conda.yml\" || studio_env_fail \"conda env create exited with code $?; see the lines above.\"\n")
            .Append("    export PATH=\"$studio_env/conda/bin:$PATH\"\n")
            .Append("  fi\n")
            .Append("elif command -v pip >/dev/null 2>&1 || command -v pip3 >/dev/null 2>&1; then\n")
            .Append("  studio_pip=$(command -v pip || command -v pip3)\n")
            .Append("  echo \"studio: conda is not on the image; installing the pip: list with pip (").Append(environment.PipCount).Append(" packages)").Append(skipped.Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n")
            .Append("  if [ -s \"$studio_env/requirements.txt\" ]; then\n")
            .Append("    \"$studio_pip\" install --no-cache-dir --target \"$studio_env/python\" -r \"$studio_env/requirements.txt\" || studio_env_fail \"pip install exited with code $?; see the lines above.\"\n")
            .Append("    export PYTHONPATH=\"$studio_env/python${PYTHONPATH:+:$PYTHONPATH}\"\n")
            .Append("  fi\n")
            .Append("else\n")
            .Append("  studio_env_fail \"neither conda nor pip is on the image, so the conda file cannot be installed. Use an image with conda (e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04) or pip.\"\n")
            .Append("fi\n")
            .Append(CommandMarker).Append('\n');
        return s.ToString();
    }
}
