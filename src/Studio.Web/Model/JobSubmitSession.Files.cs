using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Artifacts.Snapshots;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Model;

/// <summary>
/// The form's files and data inputs: a folder or a zip sent with the job (through <see cref="JobCodeSubmission"/>, the
/// service the API's multipart submit calls), and the pickers' choices — the workspace's datastores and data assets.
/// </summary>
public sealed partial class JobSubmitSession
{
    private string? _filesError;

    /// <summary>The artifact services, when this host has them (a studio without an artifact store sends no files).</summary>
    private bool HasArtifacts => services.GetService<CodeSnapshotService>() is not null;

    private JobCodeSubmission? CodeSubmitter => HasArtifacts ? services.GetService<JobCodeSubmission>() : null;

    private DatastoreService? DatastoreSource => HasArtifacts ? services.GetService<DatastoreService>() : null;

    private DataAssetService? DataAssetSource => HasArtifacts ? services.GetService<DataAssetService>() : null;

    private IOptions<ArtifactsOptions>? ArtifactSettings => services.GetService<IOptions<ArtifactsOptions>>();

    /// <summary>The files chosen to send with the job.</summary>
    public JobCodeUpload Upload { get; } = new();

    /// <summary>The workspace's datastores by name.</summary>
    public IReadOnlyList<string> Datastores { get; private set; } = [];

    /// <summary>The workspace's data assets (not archived).</summary>
    public IReadOnlyList<string> DataAssets { get; private set; } = [];

    /// <summary>Whether this studio can take files with a job (an artifact store is configured).</summary>
    public bool CanSendFiles => CodeSubmitter is not null;

    /// <summary>The largest upload this studio takes.</summary>
    public long MaxFileBytes => ArtifactSettings?.Value.MaxSnapshotBytes ?? new ArtifactsOptions().MaxSnapshotBytes;

    private async Task LoadPickersAsync(WorkspaceContext workspace)
    {
        if (DatastoreSource is not null && await DatastoreSource.ListAsync(workspace.Actor, workspace.Name, _stop.Token) is { IsSuccess: true } stores)
        {
            Datastores = [.. stores.Value.Select(d => d.Name)];
        }

        if (DataAssetSource is not null && await DataAssetSource.ListAsync(workspace.Actor, workspace.Name, includeArchived: false, _stop.Token) is { IsSuccess: true } assets)
        {
            DataAssets = [.. assets.Value.Select(a => a.Name)];
        }
    }

    /// <summary>The versions of data asset <paramref name="name"/>, newest first (empty when unknown).</summary>
    public async Task<IReadOnlyList<string>> AssetVersionsAsync(string? name)
    {
        if (DataAssetSource is null || _workspace is null || string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var found = await DataAssetSource.GetAsync(_workspace.Actor, _workspace.Name, name.Trim(), _stop.Token);
        return found.IsSuccess ? [.. found.Value.Versions.Where(v => !v.Archived).Select(v => v.Version)] : [];
    }

    /// <summary>A zip chosen as the job's files.</summary>
    public async Task ChooseZipAsync(Stream content, string name) =>
        FilesChosen(await Upload.SetZipAsync(content, name, MaxFileBytes, _stop.Token));

    /// <summary>A folder chosen as the job's files: each file's path under the folder, and its content.</summary>
    public async Task ChooseFolderAsync(string folder, IReadOnlyList<(string Path, Func<Stream> Open)> files) =>
        FilesChosen(await Upload.SetFolderAsync(folder, files, MaxFileBytes, _stop.Token));

    /// <summary>A choice refused before reading it (too many files, too large).</summary>
    public void RejectFiles(string message) => FilesChosen(message);

    public void RemoveFiles()
    {
        Upload.Clear();
        FilesChosen(null);
    }

    public void AddDataInput() => Set(() => Form.DataInputs.Add(new DataInputRow { Name = NextInputName() }));

    public void RemoveDataInput(DataInputRow row) => Set(() => Form.DataInputs.Remove(row));

    private void FilesChosen(string? error)
    {
        _filesError = error;
        Set(() => Form.HasFiles = Upload.HasFiles);
    }

    private string NextInputName()
    {
        var used = Form.DataInputs.Select(r => r.Name.Trim()).Concat(Form.Inputs.Select(r => r.Key.Trim())).ToHashSet(StringComparer.Ordinal);
        var missing = Form.MissingInputs.FirstOrDefault(n => !used.Contains(n));
        return missing ?? Enumerable.Range(1, 100).Select(i => i == 1 ? "data" : $"data{i}").First(n => !used.Contains(n));
    }

    /// <summary>Submits the form's spec with the chosen files, as the API's multipart submit does.</summary>
    private async Task<Result<JobSubmitted>> SubmitWithFilesAsync(WorkspaceContext workspace, JobSpec spec)
    {
        if (CodeSubmitter is null)
        {
            return Error.Validation(JobFormFields.Code, "This studio has no artifact store configured (Studio:Artifacts:Store), so jobs cannot carry files.");
        }

        await using var zip = Upload.Open();
        var buffered = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (buffered)
        {
            await zip.CopyToAsync(buffered, _stop.Token);
            buffered.Position = 0;
            var result = await CodeSubmitter.SubmitAsync(workspace.Actor, workspace.Name, new JobImport(spec, []), buffered, _requestId, _stop.Token);
            return result.IsSuccess ? result.Value.Job : Result<JobSubmitted>.Failure(result.Errors);
        }
    }

    /// <summary>What an imported spec needs from the files beside the YAML.</summary>
    private string FilesNote(JobSpec spec)
    {
        var named = new List<string>();
        if (spec.Code is not null)
        {
            named.Add($"code: {spec.Code}");
        }

        named.AddRange(spec.DataInputs.Where(i => ArtifactUri.Parse(i.Value.Path, "path") is { IsSuccess: true, Value.Kind: ArtifactUriKind.LocalPath }).Select(i => $"inputs.{i.Key} ({i.Value.Path})"));
        if (spec.InlineEnvironment is { NeedsFiles: true } environment)
        {
            named.Add($"environment ({environment.Describe()})");
        }

        return named.Count == 0 || Upload.HasFiles
            ? string.Empty
            : $" It names files beside it — {string.Join(", ", named)}: choose the folder beside the YAML (or a zip of it) under Code and files, and they are sent with the job.";
    }
}
