using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;
using Studio.Domain;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Assets;

namespace Studio.Web.Components.Dialogs;

/// <summary>
/// Creates a data asset version or registers a model version: from an upload (files, or a zip of a folder; progress
/// shown while they are read), a datastore path, or a CLI v2 YAML (with the zip of the files beside it for a local path).
/// The same rules as the API; messages on their fields.
/// </summary>
public partial class AssetDialog
{
    private const int UploadMode = 0;
    private const int PathMode = 1;
    private const int YamlMode = 2;

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<IBrowserFile> _files = [];
    private int _mode;
    private string? _name;
    private string? _version;
    private string _type = string.Empty;
    private string? _path;
    private string? _description;
    private string? _tags;
    private string? _yaml;
    private string? _generalError;
    private double? _progress;
    private string? _progressText;
    private bool _busy;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required DataAssetService DataAssets { get; init; }

    [Inject]
    public required ModelService Models { get; init; }

    [Inject]
    public required IOptions<ArtifactsOptions> Options { get; init; }

    [Parameter, EditorRequired]
    public string Workspace { get; set; } = string.Empty;

    /// <summary>A model (true) or a data asset.</summary>
    [Parameter]
    public bool IsModel { get; set; }

    /// <summary>The name of the asset to add a version to (prefilled).</summary>
    [Parameter]
    public string? Name { get; set; }

    private IReadOnlyList<string> Types => IsModel ? ["custom_model", "mlflow_model", "triton_model"] : ["uri_folder", "uri_file"];

    private string Chosen => _files.Count switch
    {
        0 => "No files chosen",
        1 => $"{_files[0].Name} ({HumanUnits.Bytes(_files[0].Size)})",
        _ => $"{_files.Count} files ({HumanUnits.Bytes(_files.Sum(f => f.Size))})",
    };

    private string UploadHint => _mode == YamlMode
        ? "Only for a YAML whose path is local (path: ./data): a zip of the files beside the YAML."
        : IsFile
            ? "One file."
            : $"Several files become the folder; one .zip is unpacked as the folder. At most {HumanUnits.Bytes(Options.Value.MaxSnapshotBytes)}.";

    private bool IsFile => _type == "uri_file";

    protected override void OnParametersSet()
    {
        _name ??= Name;
        if (_type.Length == 0)
        {
            _type = Types[0];
        }
    }

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private void FilesChosen(IReadOnlyList<IBrowserFile>? files)
    {
        _files = files ?? [];
        _errors.Remove("file");
    }

    private async Task SubmitAsync()
    {
        _errors.Clear();
        _generalError = null;
        _busy = true;
        try
        {
            var result = await CreateAsync();
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
                return;
            }

            _generalError = FormErrors.Show(result.Errors, _errors) ?? _generalError;
        }
        finally
        {
            _busy = false;
            _progress = null;
        }
    }

    private async Task<Result<AssetVersionView>> CreateAsync()
    {
        var actor = await GetActorAsync();
        string? name;
        string? type;
        string? version;
        string? path;
        string? description;
        IReadOnlyDictionary<string, string>? tags;
        string? fromPath = null;
        if (_mode == YamlMode)
        {
            var fields = IsModel ? YamlModel() : YamlData();
            if (!fields.IsSuccess)
            {
                return Result<AssetVersionView>.Failure(fields.Errors);
            }

            (name, type, version, path, description, tags) = fields.Value;
            var location = ArtifactUri.Parse(path, "path");
            if (location.IsSuccess && location.Value.Kind == ArtifactUriKind.LocalPath)
            {
                if (_files.Count != 1 || !_files[0].Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    return Error.Validation("file", $"path: '{path}' is local: add a zip of the files beside the YAML.");
                }

                fromPath = location.Value.Path;
            }
        }
        else
        {
            var parsedTags = ParseTags(_tags);
            if (parsedTags is null)
            {
                return Error.Validation("tags", "Write tags as key=value, separated by commas.");
            }

            (name, type, version, path, description, tags) = (_name, _type, _version, _mode == PathMode ? _path : null, _description, parsedTags);
            if (_mode == UploadMode && _files.Count == 0)
            {
                return Error.Validation("file", "Choose the files to upload.");
            }

            if (_mode == UploadMode && IsFile && _files.Count > 1)
            {
                return Error.Validation("file", "A uri_file is one file; choose one, or uri_folder for several.");
            }
        }

        var upload = (_mode == UploadMode || fromPath is not null) ? await SpoolAsync(fromPath) : null;
        await using (upload?.Content)
        {
            if (IsModel)
            {
                var modelType = AssetTypes.ModelTypeOf(type) ?? ModelType.CustomModel;
                return await Models.CreateAsync(actor, Workspace, name, new ModelDraft(modelType, version, path, null, null, description, tags), upload, CircuitToken);
            }

            var dataType = AssetTypes.DataAssetTypeOf(type) ?? DataAssetType.UriFolder;
            return await DataAssets.CreateAsync(actor, Workspace, name, new DataAssetDraft(dataType, version, path, null, description, tags), upload, CircuitToken);
        }
    }

    private Result<(string?, string?, string?, string?, string?, IReadOnlyDictionary<string, string>?)> YamlData()
    {
        var read = AssetYaml.ReadData(_yaml);
        return read.IsSuccess
            ? (read.Value.Name, read.Value.Draft.Type.ToYaml(), read.Value.Draft.Version, read.Value.Draft.Path, read.Value.Draft.Description, read.Value.Draft.Tags)
            : Result<(string?, string?, string?, string?, string?, IReadOnlyDictionary<string, string>?)>.Failure(read.Errors);
    }

    private Result<(string?, string?, string?, string?, string?, IReadOnlyDictionary<string, string>?)> YamlModel()
    {
        var read = AssetYaml.ReadModel(_yaml);
        return read.IsSuccess
            ? (read.Value.Name, read.Value.Draft.Type.ToYaml(), read.Value.Draft.Version, read.Value.Draft.Path, read.Value.Draft.Description, read.Value.Draft.Tags)
            : Result<(string?, string?, string?, string?, string?, IReadOnlyDictionary<string, string>?)>.Failure(read.Errors);
    }

    /// <summary>Reads the chosen files into a temporary file (a zip for several files), updating the progress bar.</summary>
    private async Task<AssetUpload> SpoolAsync(string? fromPath)
    {
        var max = Options.Value.MaxSnapshotBytes;
        var total = Math.Max(1, _files.Sum(f => f.Size));
        long done = 0;
        var spool = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var single = _files.Count == 1 && (fromPath is not null || IsFile || IsModel || _files[0].Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase));
        if (single)
        {
            await CopyAsync(_files[0], spool);
        }
        else
        {
            using var zip = new ZipArchive(spool, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var file in _files)
            {
                await using var entry = zip.CreateEntry(file.Name, CompressionLevel.Fastest).Open();
                await CopyAsync(file, entry);
            }
        }

        spool.Position = 0;
        var name = single ? _files[0].Name : "data.zip";
        var isZip = name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && (fromPath is not null || !IsFile);
        return new AssetUpload(spool, name, isZip, fromPath);

        async Task CopyAsync(IBrowserFile file, Stream target)
        {
            await using var source = file.OpenReadStream(max + 1, CircuitToken);
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, CircuitToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), CircuitToken);
                done += read;
                var percent = Math.Min(100, done * 100.0 / total);
                if (_progress is null || percent - _progress >= 2 || done == total)
                {
                    _progress = percent;
                    _progressText = string.Create(CultureInfo.InvariantCulture, $"Uploading {HumanUnits.Bytes(done)} of {HumanUnits.Bytes(total)}");
                    StateHasChanged();
                }
            }
        }
    }

    /// <summary>"a=1, b=two" → tags; null when a part has no '='.</summary>
    internal static IReadOnlyDictionary<string, string>? ParseTags(string? text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            tags[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        return tags;
    }
}
