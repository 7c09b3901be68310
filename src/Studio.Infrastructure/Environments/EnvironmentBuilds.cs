using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Environments;

/// <summary>
/// The image a job's own environment runs in when it is built: <c>&lt;registry&gt;/studio-env:&lt;content hash&gt;</c>, so the same
/// build context (or conda file on the same image) is built once and reused by every job that brings it.
/// </summary>
public sealed class EnvironmentBuilds(IOptions<EnvironmentBuildOptions> options)
{
    public EnvironmentBuildOptions Options => options.Value;

    /// <summary>The built image of <paramref name="environment"/> (a Docker context); an error naming <c>environment.build</c> when no registry is configured.</summary>
    public Result<string> ImageFor(JobEnvironment environment)
    {
        if (!options.Value.Enabled)
        {
            return Error.Unprocessable(
                "environment_build_unavailable",
                "environment.build",
                $"This studio builds no images (no registry is configured under {EnvironmentBuildOptions.SectionName}:Registry), so an environment from a Docker context cannot run. Build and push the image and give environment.image, or use a conda file on an image (it is installed when the container starts).");
        }

        return $"{options.Value.Registry!.Trim().TrimEnd('/')}/studio-env:{ContentTag(environment)}";
    }

    /// <summary>The tag of a build: the hash of what it is built from (the context's tree hash and the Dockerfile's path).</summary>
    public static string ContentTag(JobEnvironment environment)
    {
        var source = environment.IsBuild ? $"build\n{environment.BuildSnapshot}\n{environment.Dockerfile}" : $"conda\n{environment.CondaFile}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..32];
    }
}
