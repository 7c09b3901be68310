namespace Studio.Domain.Endpoints;

/// <summary>
/// Why a deployment failed, in Azure ML's vocabulary (§6.2), with the sentence that says what to do. The tracker picks
/// the reason from what the pods show; the deployment page shows <see cref="Explain"/>.
/// </summary>
public static class DeploymentFailure
{
    public const string ImagePullLoopBackOff = "ImagePullLoopBackOff";
    public const string DeploymentCrashLoopBackOff = "DeploymentCrashLoopBackOff";
    public const string PodUnschedulable = "PodUnschedulable";
    public const string PodOutOfMemory = "PodOutOfMemory";
    public const string UserScriptInitFailed = "UserScriptInitFailed";
    public const string UserScriptImportError = "UserScriptImportError";
    public const string ResourceNotReady = "ResourceNotReady";
    public const string NamespaceNotFound = "NamespaceNotFound";
    public const string DeploymentTimeout = "DeploymentTimeout";
    public const string ApplyFailed = "ApplyFailed";

    /// <summary>How long a create or update may take before the deployment fails (§6.1: image, model, code and <c>init()</c> within 20 minutes).</summary>
    public static TimeSpan Deadline { get; } = TimeSpan.FromMinutes(20);

    /// <summary>What the reason means and what to do about it.</summary>
    public static string Explain(string? reason) => reason switch
    {
        ImagePullLoopBackOff => "The image cannot be pulled: check its name and tag, and that the cluster can reach and log in to its registry.",
        DeploymentCrashLoopBackOff => "The inference server keeps crashing after it starts: read the inference-server log for the error.",
        PodUnschedulable => "No node can take a replica: the instance type's nodeSelector matches no node with room; lower the resources, pick another instance type or add nodes.",
        PodOutOfMemory => "A replica ran out of memory and was killed: raise resources.limits.memory or pick a larger instance type.",
        UserScriptInitFailed => "The scoring script's init() failed: read the inference-server log for its traceback.",
        UserScriptImportError => "The scoring script could not be imported (a missing package or a syntax error): check the environment and the script.",
        ResourceNotReady => "The replicas run but never became ready: the readiness probe keeps failing; check the scoring script and the probe settings.",
        NamespaceNotFound => "The compute target's namespace is gone from the cluster: ask IT operations to attach the compute target again.",
        DeploymentTimeout => "The deployment was not ready within 20 minutes (image pull, model and code download and init() together).",
        ApplyFailed => "The cluster refused the deployment's objects: read the message for what it refused.",
        _ => "The deployment failed.",
    };
}
