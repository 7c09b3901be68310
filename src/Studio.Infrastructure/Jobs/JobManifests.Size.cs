using System.Text;
using Studio.Domain.Common;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Jobs;

/// <summary>The size check of a job's objects: a real API server refuses an object over 1.5 MB, so Studio refuses the job before storing anything.</summary>
public static partial class JobManifests
{
    /// <summary>The API server's limit on one object's serialized size (etcd's request limit, 1.5 MiB).</summary>
    public const int MaxObjectBytes = 1536 * 1024;

    /// <summary>The error code of a job whose objects are over <see cref="MaxObjectBytes"/> (answered 422).</summary>
    public const string TooLargeCode = "manifest_too_large";

    /// <summary>Null when every object is within <see cref="MaxObjectBytes"/> as JSON; else the error naming the largest.</summary>
    public static Error? TooLarge(IEnumerable<ManifestObject> objects)
    {
        var largest = objects.Select(o => (Object: o, Bytes: Encoding.UTF8.GetByteCount(k8s.KubernetesJson.Serialize(o.Body)))).MaxBy(o => o.Bytes);
        return largest.Object is null || largest.Bytes <= MaxObjectBytes
            ? null
            : Error.Unprocessable(
                TooLargeCode,
                "(manifest)",
                $"The {largest.Object.Kind} this job needs would be {largest.Bytes / 1024} KiB; Kubernetes refuses objects over {MaxObjectBytes / 1024} KiB. Shorten the command, environment variables or annotations.");
    }
}
