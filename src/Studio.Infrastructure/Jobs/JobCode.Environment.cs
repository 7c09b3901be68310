using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Jobs;

/// <summary>A job's own environment at submit: a conda file stored (content-addressed) and signed for its pods.</summary>
public sealed partial class JobCode
{
    /// <summary>Where a conda file's zip is stored: named by the hash of its text, so the same file is stored once.</summary>
    public static string EnvironmentPath(string hex) => $"environments/conda/{hex}.zip";

    /// <summary>
    /// The install-at-start plan of <paramref name="spec"/>'s conda file (null when it has none); the zip is stored when
    /// <paramref name="sign"/> (a submit), and the preview gets the placeholder URL. A file still to be read from the
    /// files sent with the job is refused (422 naming <c>environment</c>).
    /// </summary>
    public async Task<Result<JobEnvironmentPlan?>> PlanEnvironmentAsync(JobSpec spec, bool sign, CancellationToken cancellationToken)
    {
        if (spec.InlineEnvironment is not { } inline)
        {
            return Result<JobEnvironmentPlan?>.Ok(null);
        }

        if (inline.NeedsFiles)
        {
            return FilesNotSent(inline);
        }

        if (inline.CondaFile is not { } text)
        {
            return Result<JobEnvironmentPlan?>.Ok(null);
        }

        var conda = CondaFile.Parse(text, "environment.conda_file");
        if (!conda.IsSuccess)
        {
            return Result<JobEnvironmentPlan?>.Failure(conda.Errors);
        }

        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var plan = new JobEnvironmentPlan(ContentHash.Prefix + hex, PreviewUrl, conda.Value.CondaOnly, conda.Value.PipPackages.Count);
        if (!sign)
        {
            return plan;
        }

        if (Store is not { } store)
        {
            return Error.Validation("environment.conda_file", "This studio has no artifact store configured (Studio:Artifacts:Store), so jobs cannot carry a conda file.");
        }

        var path = EnvironmentPath(hex);
        if (!await store.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            using var zip = EnvironmentZip(text, conda.Value.Requirements);
            await store.UploadAsync(path, zip, cancellationToken).ConfigureAwait(false);
        }

        var url = await store.SignAsync(path, ArtifactAccess.Read, Expiry(spec), cancellationToken).ConfigureAwait(false);
        return plan with { Url = url.AbsoluteUri };
    }

    /// <summary>
    /// A URL signed for reading the stored build context <paramref name="snapshot"/> (its zip), valid for
    /// <paramref name="lifetime"/> plus the queue allowance: what the image builder's fetch step gets.
    /// </summary>
    public async Task<Result<string>> SignBuildContextAsync(string snapshot, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var hash = ContentHash.Parse(snapshot, "environment.build.path");
        if (!hash.IsSuccess)
        {
            return Result<string>.Failure(hash.Errors);
        }

        if (Store is not { } store)
        {
            return Error.Validation("environment.build", "This studio has no artifact store configured (Studio:Artifacts:Store), so it cannot keep a build context.");
        }

        var path = CodeSnapshot.StoragePathOf(hash.Value);
        if (!await store.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            return Error.Validation("environment.build.path", $"Build context {hash.Value} is not stored; send the context with the job.");
        }

        var url = await store.SignAsync(path, ArtifactAccess.Read, clock.GetUtcNow() + lifetime + options.Value.QueueAllowance, cancellationToken).ConfigureAwait(false);
        return url.AbsoluteUri;
    }

    /// <summary>A job whose environment names files beside it, submitted without them: 422 naming the key.</summary>
    public static Error FilesNotSent(JobEnvironment inline) => Error.Unprocessable(
        "environment_files_not_sent",
        inline.File is not null ? "environment" : inline.CondaFilePath is not null ? "environment.conda_file" : "environment.build.path",
        $"The environment names files beside the job ({inline.Describe()}), but none were sent. Submit the YAML with its files (multipart/form-data: the YAML and a zip of the folder beside it).");

    /// <summary>The zip the pods fetch: <c>conda.yml</c> as written and the pip list as <c>requirements.txt</c>.</summary>
    internal static MemoryStream EnvironmentZip(string conda, string requirements)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[] { ("conda.yml", conda), ("requirements.txt", requirements) })
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
