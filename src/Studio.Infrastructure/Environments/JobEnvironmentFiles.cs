using System.IO.Compression;
using System.Text;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Environments;

/// <summary>
/// Reads what a job's environment names from the files sent with it (the zip of the files beside the YAML):
/// <c>environment: file:env.yml</c> (an Azure ML environment YAML: <c>image</c>, <c>conda_file</c>, <c>build</c>, its paths
/// relative to its own folder), <c>conda_file: ./conda.yml</c> (its text is kept in the job) and <c>build.path</c> (the
/// Docker context, stored as a snapshot). A file that is not there is refused with 422 naming <c>environment</c>.
/// </summary>
public static class JobEnvironmentFiles
{
    /// <summary>The error code of an environment file that is not among the files sent with the job.</summary>
    public const string MissingCode = "environment_file_missing";

    public static async Task<Result<(JobSpec Spec, IReadOnlyList<YamlIssue> Issues)>> ReadAsync(JobSpec spec, Stream zip, CodeSnapshotService snapshots, CancellationToken cancellationToken)
    {
        if (spec.InlineEnvironment is not { NeedsFiles: true } inline)
        {
            return (spec, []);
        }

        var issues = new List<YamlIssue>();
        var folder = string.Empty;
        if (inline.File is { } file)
        {
            var path = Resolve(string.Empty, file, "environment");
            if (!path.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(path.Errors);
            }

            var text = ReadText(zip, path.Value, "environment", $"file:{file}");
            if (!text.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(text.Errors);
            }

            var read = CommandJobYaml.ReadEnvironmentFile(text.Value, $"file:{file}");
            if (!read.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(read.Errors);
            }

            issues.AddRange(read.Value.Issues);
            folder = path.Value.Contains('/', StringComparison.Ordinal) ? path.Value[..path.Value.LastIndexOf('/')] : string.Empty;
            inline = read.Value.Environment;
            spec = spec with { Image = read.Value.Image ?? spec.Image };
            if (read.Value.Image is null && !inline.IsBuild)
            {
                return Error.Unprocessable("environment_without_image", "environment", $"'file:{file}' gives neither image nor build: an environment YAML names its image (image:, with conda_file: to install on it) or its Docker context (build:).");
            }
        }

        if (inline.CondaFilePath is { } condaPath)
        {
            var path = Resolve(folder, condaPath, "environment.conda_file");
            var text = path.IsSuccess ? ReadText(zip, path.Value, "environment.conda_file", condaPath) : Result<string>.Failure(path.Errors);
            if (!text.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(text.Errors);
            }

            inline = inline with { CondaFile = text.Value, CondaFilePath = null };
        }

        if (inline.BuildPath is { } buildPath && inline.BuildSnapshot is null)
        {
            var path = Resolve(folder, buildPath, "environment.build.path");
            if (!path.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(path.Errors);
            }

            var dockerfile = path.Value.Length == 0 ? inline.Dockerfile : path.Value + "/" + inline.Dockerfile;
            var found = ReadText(zip, dockerfile, "environment.build.dockerfile_path", $"{buildPath}/{inline.Dockerfile}");
            if (!found.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(found.Errors);
            }

            Rewind(zip);
            var stored = await snapshots.StoreAsync(zip, path.Value, rootWhenMissing: path.Value.Length == 0, "environment.build.path", cancellationToken).ConfigureAwait(false);
            if (!stored.IsSuccess)
            {
                return Result<(JobSpec, IReadOnlyList<YamlIssue>)>.Failure(stored.Errors);
            }

            inline = inline with { BuildSnapshot = stored.Value.Snapshot.Hash.ToString() };
        }

        return (spec with { InlineEnvironment = inline with { File = null } }, issues);
    }

    /// <summary><paramref name="relative"/> (as the YAML in <paramref name="folder"/> writes it) as a path of the zip; '..' may not leave the files.</summary>
    internal static Result<string> Resolve(string folder, string relative, string field)
    {
        var segments = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (relative.StartsWith('/') || relative.Contains('\\', StringComparison.Ordinal) || relative.Contains("://", StringComparison.Ordinal))
        {
            return Error.Validation(field, $"'{relative}' must be a path beside the YAML (relative, '/' between folders).");
        }

        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return Error.Validation(field, $"'{relative}' leaves the files sent with the job.");
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        var joined = string.Join('/', segments);
        var (normalized, error) = ArtifactPath.Normalize(joined, allowRoot: true);
        return error is null ? normalized!.TrimEnd('/') : Error.Validation(field, error);
    }

    private static Result<string> ReadText(Stream zip, string path, string field, string written)
    {
        Rewind(zip);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var entry = archive.GetEntry(path) ?? archive.Entries.FirstOrDefault(e => string.Equals(e.FullName.TrimStart('.', '/'), path, StringComparison.Ordinal));
            if (entry is null)
            {
                return Error.Unprocessable(MissingCode, field, $"'{written}' is not among the files sent with the job (looked for '{path}' in the zip of the files beside the YAML).");
            }

            if (entry.Length > JobEnvironment.MaxCondaFileBytes)
            {
                return Error.Validation(field, $"'{written}' is larger than {JobEnvironment.MaxCondaFileBytes / 1024} KiB.");
            }

            using var reader = new StreamReader(entry.Open(), new UTF8Encoding(false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            return Error.Validation(field, $"The files sent with the job are not a readable zip ({e.Message}).");
        }
        catch (DecoderFallbackException)
        {
            return Error.Validation(field, $"'{written}' is not UTF-8 text.");
        }
    }

    private static void Rewind(Stream zip)
    {
        if (zip.CanSeek)
        {
            zip.Position = 0;
        }
    }
}
