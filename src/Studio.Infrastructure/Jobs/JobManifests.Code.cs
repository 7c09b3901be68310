using k8s.Models;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's code in its pods: an init container fetches the snapshot's signed URL into an <c>emptyDir</c> and unpacks it;
/// the main container runs the command in that folder (Azure ML's <c>code</c> is the working directory). The pod spec
/// carries only the signed URL of that one zip — never a storage credential.
/// </summary>
public static partial class JobManifests
{
    public const string CodeVolume = "studio-code";
    public const string CodePath = "/mnt/studio/code";
    public const string FetchCodeContainer = "fetch-code";
    public const string CodeUrlVariable = "STUDIO_CODE_URL";

    /// <summary>What the fetch step runs (BusyBox's wget and unzip): download, unpack, remove the zip; any failure fails the pod with the tool's message.</summary>
    public const string FetchCodeScript =
        "set -eu\n" +
        "wget -q -O \"" + CodePath + "/.studio-code.zip\" \"$" + CodeUrlVariable + "\"\n" +
        "unzip -q -o \"" + CodePath + "/.studio-code.zip\" -d \"" + CodePath + "\"\n" +
        "rm -f \"" + CodePath + "/.studio-code.zip\"\n";

    private static void AddCode(JobPlan plan, V1PodSpec pod)
    {
        if (plan.Code is not { } code)
        {
            return;
        }

        // The zip and its unpacked files, with room to spare.
        var size = code.VolumeBytes + (64L << 20);
        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = CodeVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(Memory(RoundUpMi(size))) } });
        var mount = new V1VolumeMount { Name = CodeVolume, MountPath = CodePath };
        pod.InitContainers ??= [];
        pod.InitContainers.Add(new V1Container
        {
            Name = FetchCodeContainer,
            Image = code.FetchImage,
            Command = ["/bin/sh", "-c"],
            Args = [FetchCodeScript],
            Env = [Env(CodeUrlVariable, code.Url), Env("STUDIO_CODE_SNAPSHOT", code.Snapshot)],
            VolumeMounts = [mount],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
            },
        });
        foreach (var container in pod.Containers)
        {
            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = CodeVolume, MountPath = CodePath });
            container.WorkingDir = CodePath;
        }
    }

    public const string InputsVolume = "studio-inputs";
    public const string FetchInputsContainer = "fetch-inputs";

    /// <summary>
    /// A job's data inputs in its pods: an init container fetches each (a snapshot zip unpacked into its folder, a file
    /// saved into it) into an <c>emptyDir</c> that the main containers mount read-only at <see cref="Studio.Domain.Jobs.JobDataInput.Root"/>.
    /// Each input's URL is in a variable <c>STUDIO_INPUT_&lt;i&gt;_URL</c> of the fetch step.
    /// </summary>
    private static void AddInputs(JobPlan plan, V1PodSpec pod)
    {
        if (plan.Inputs is not { Count: > 0 } inputs)
        {
            return;
        }

        var script = new System.Text.StringBuilder("set -eu\n");
        var env = new List<V1EnvVar>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var variable = $"STUDIO_INPUT_{i}_URL";
            env.Add(Env(variable, input.Url));
            if (input.Unzip)
            {
                var zip = Quote(input.Folder + "/.studio-input.zip");
                script.Append("mkdir -p ").Append(Quote(input.Folder)).Append('\n')
                    .Append("wget -q -O ").Append(zip).Append(" \"$").Append(variable).Append("\"\n")
                    .Append("unzip -q -o ").Append(zip).Append(" -d ").Append(Quote(input.Folder)).Append('\n')
                    .Append("rm -f ").Append(zip).Append('\n');
            }
            else
            {
                // A file of a folder input keeps its place in the folder (FileName may hold sub-folders).
                var target = input.Folder + "/" + input.FileName;
                script.Append("mkdir -p ").Append(Quote(target[..target.LastIndexOf('/')])).Append('\n')
                    .Append("wget -q -O ").Append(Quote(target)).Append(" \"$").Append(variable).Append("\"\n");
            }
        }

        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = InputsVolume, EmptyDir = new V1EmptyDirVolumeSource() });
        pod.InitContainers ??= [];
        pod.InitContainers.Add(new V1Container
        {
            Name = FetchInputsContainer,
            Image = plan.Code?.FetchImage ?? plan.FetchImage,
            Command = ["/bin/sh", "-c"],
            Args = [script.ToString()],
            Env = env,
            VolumeMounts = [new V1VolumeMount { Name = InputsVolume, MountPath = Studio.Domain.Jobs.JobDataInput.Root }],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
            },
        });
        foreach (var container in pod.Containers)
        {
            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = InputsVolume, MountPath = Studio.Domain.Jobs.JobDataInput.Root, ReadOnlyProperty = true });
        }
    }

    /// <summary>Fetch steps (jobs' code and inputs, deployments' storage-initializer) write only their volume: a read-only root filesystem at every pod security level.</summary>
    public static void HardenFetch(V1PodSpec pod)
    {
        foreach (var init in pod.InitContainers ?? [])
        {
            init.SecurityContext ??= new V1SecurityContext();
            init.SecurityContext.ReadOnlyRootFilesystem = true;
            init.SecurityContext.AllowPrivilegeEscalation = false;
        }
    }

    /// <summary>A POSIX shell single-quoted word: file names from a datastore may hold any character.</summary>
    internal static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static long RoundUpMi(long bytes) => (bytes + (1L << 20) - 1) & ~((1L << 20) - 1);
}
