using k8s.Models;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's data outputs in its pods: the main containers write them into an <c>emptyDir</c> at
/// <see cref="Studio.Domain.Jobs.JobDataOutput.Root"/>; a native sidecar (an init container with <c>restartPolicy:
/// Always</c>, BusyBox) waits, and when the kubelet stops it — after the main containers have ended, whether they
/// succeeded or failed — sends every file through the output's signed write URL, then its upload record. A sidecar
/// rather than a step after the command: the user's image needs no shell, wget or credentials, the command's exit code
/// stays the job's, and the upload runs in the studio's small read-only image at the same pod security level.
/// </summary>
public static partial class JobManifests
{
    public const string OutputsVolume = "studio-outputs";
    public const string UploadOutputsContainer = "upload-outputs";

    /// <summary>Made once every output's folder exists: the sidecar's startup probe, so the command starts after it.</summary>
    public const string ReadyFile = Studio.Domain.Jobs.JobDataOutput.Root + "/.studio-ready";

    /// <summary>How long the kubelet lets the upload run after the command ends (the pod's grace period).</summary>
    public const long OutputUploadSeconds = 600;

    /// <summary>
    /// What the sidecar runs: sleep until SIGTERM, then for each output <c>i</c> post every file under
    /// <c>$STUDIO_OUTPUT_i_DIR</c> to <c>$STUDIO_OUTPUT_i_URL</c> (the file's relative path before the query) and post
    /// the upload record to <c>$STUDIO_OUTPUT_i_RECORD</c>; the first refusal ends the upload, is written to the
    /// termination log (the pod's status shows it) and posted as the record when it still can be.
    /// </summary>
    public static string UploadScript(int outputs)
    {
        var script = new System.Text.StringBuilder();
        script.Append("set -u\n")
            .Append("list=").Append(Studio.Domain.Jobs.JobDataOutput.Root).Append("/.studio-upload-list\n")
            .Append("send() {\n")
            .Append("  dir=\"$1\"; url=\"$2\"; record=\"$3\"; base=\"${url%%\\?*}\"; query=\"${url#*\\?}\"; count=0\n")
            .Append("  find \"$dir\" -type f > \"$list\" 2>/dev/null || : > \"$list\"\n")
            .Append("  while IFS= read -r file; do\n")
            .Append("    rel=$(printf '%s' \"${file#\"$dir\"/}\" | sed 's/%/%25/g; s/ /%20/g; s/#/%23/g; s/?/%3F/g')\n")
            .Append("    if ! out=$(wget -q -O /dev/null --post-file \"$file\" \"$base$rel?$query\" 2>&1); then\n")
            .Append("      echo \"$out\" | tail -n 1; wget -q -O /dev/null --post-data \"{\\\"complete\\\":false,\\\"files\\\":$count}\" \"$record\" 2>/dev/null; return 1\n")
            .Append("    fi\n")
            .Append("    count=$((count + 1))\n")
            .Append("  done < \"$list\"\n")
            .Append("  wget -q -O /dev/null --post-data \"{\\\"complete\\\":true,\\\"files\\\":$count}\" \"$record\" 2>&1 | tail -n 1\n")
            .Append("}\n")
            .Append("upload() {\n")
            .Append("  failed=\"\"\n");
        for (var i = 0; i < outputs; i++)
        {
            script.Append("  if [ -z \"$failed\" ] && ! failed=$(send \"$STUDIO_OUTPUT_").Append(i).Append("_DIR\" \"$STUDIO_OUTPUT_").Append(i)
                .Append("_URL\" \"$STUDIO_OUTPUT_").Append(i).Append("_RECORD\"); then failed=\"${failed:-upload failed}\"; fi\n");
        }

        script.Append("  if [ -n \"$failed\" ]; then echo \"$failed\" > /dev/termination-log; echo \"$failed\" >&2; exit 1; fi\n")
            .Append("  exit 0\n")
            .Append("}\n")
            .Append("trap upload TERM\n");
        for (var i = 0; i < outputs; i++)
        {
            script.Append("mkdir -p \"$STUDIO_OUTPUT_").Append(i).Append("_DIR\"\n");
        }

        script.Append("touch ").Append(ReadyFile).Append('\n')
            .Append("while true; do sleep 3600 & wait $!; done\n");
        return script.ToString();
    }

    private static void AddOutputs(JobPlan plan, V1PodSpec pod)
    {
        if (plan.Outputs is not { Count: > 0 } outputs)
        {
            return;
        }

        var env = new List<V1EnvVar>();
        for (var i = 0; i < outputs.Count; i++)
        {
            env.Add(Env($"STUDIO_OUTPUT_{i}_NAME", outputs[i].Name));
            env.Add(Env($"STUDIO_OUTPUT_{i}_DIR", outputs[i].Folder));
            env.Add(Env($"STUDIO_OUTPUT_{i}_URL", outputs[i].WriteUrl));
            env.Add(Env($"STUDIO_OUTPUT_{i}_RECORD", outputs[i].RecordUrl));
        }

        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = OutputsVolume, EmptyDir = new V1EmptyDirVolumeSource() });
        pod.TerminationGracePeriodSeconds = OutputUploadSeconds;
        pod.InitContainers ??= [];
        pod.InitContainers.Add(new V1Container
        {
            Name = UploadOutputsContainer,
            Image = plan.Code?.FetchImage ?? plan.FetchImage,
            RestartPolicy = "Always",
            Command = ["/bin/sh", "-c"],
            Args = [UploadScript(outputs.Count)],
            Env = env,
            VolumeMounts = [new V1VolumeMount { Name = OutputsVolume, MountPath = Studio.Domain.Jobs.JobDataOutput.Root }],
            TerminationMessagePolicy = "FallbackToLogsOnError",
            StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["test", "-e", ReadyFile] }, PeriodSeconds = 1, FailureThreshold = 60 },
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("32Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
            },
        });

        // The command writes ${{outputs.y}}: each output's folder exists before it starts (the sidecar starts first).
        foreach (var container in pod.Containers)
        {
            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = OutputsVolume, MountPath = Studio.Domain.Jobs.JobDataOutput.Root });
        }
    }
}
