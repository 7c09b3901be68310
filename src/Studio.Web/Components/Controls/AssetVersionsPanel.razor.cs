using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Infrastructure.Assets;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Controls;

public partial class AssetVersionsPanel
{
    private const int MaxListed = 500;

    private IReadOnlyList<AssetFile>? _files;
    private string? _problem;
    private string? _loadedFor;

    [Inject]
    public required IJSRuntime Js { get; init; }

    [Parameter, EditorRequired]
    public IAssetCatalog Catalog { get; set; } = null!;

    [Parameter, EditorRequired]
    public AssetDetail Detail { get; set; } = null!;

    [Parameter, EditorRequired]
    public string WorkspaceName { get; set; } = string.Empty;

    /// <summary>The asset's API address (<c>/api/workspaces/WS/data/NAME</c>), for the download links.</summary>
    [Parameter, EditorRequired]
    public string ApiBase { get; set; } = string.Empty;

    [Parameter]
    public bool IsModel { get; set; }

    [Parameter]
    public bool CanWrite { get; set; }

    [Parameter, EditorRequired]
    public DateTimeOffset Now { get; set; }

    /// <summary>Called after a version was archived, restored or removed (the page loads the asset again).</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    [SupplyParameterFromQuery(Name = "version")]
    public string? Version { get; set; }

    private AssetVersionView? Selected =>
        Detail.Versions.FirstOrDefault(v => v.Version == Version) ?? Detail.Versions.FirstOrDefault(v => !v.Archived) ?? Detail.Versions.FirstOrDefault();

    protected override async Task OnParametersSetAsync()
    {
        var selected = Selected;
        var key = selected is null ? null : $"{Detail.Name}:{selected.Version}";
        if (key == _loadedFor)
        {
            return;
        }

        _loadedFor = key;
        _files = null;
        _problem = null;
        if (selected is { Upload: true })
        {
            var files = await Catalog.FilesAsync(await GetActorAsync(), WorkspaceName, Detail.Name, selected.Version, CircuitToken);
            _files = files.IsSuccess ? files.Value : null;
            _problem = files.IsSuccess ? null : files.Errors[0].Message;
        }
    }

    private async Task CopyAsync(string reference)
    {
        var copied = await Js.InvokeAsync<bool>("studio.copyText", reference);
        Snackbar.Add(copied ? $"Copied {reference}" : $"Copy it by hand: {reference}", copied ? Severity.Success : Severity.Info);
    }

    private async Task ArchiveAsync(AssetVersionView version)
    {
        var result = await Catalog.ArchiveAsync(await GetActorAsync(), WorkspaceName, Detail.Name, version.Version, !version.Archived, CircuitToken);
        Snackbar.Add(result.IsSuccess ? $"{(version.Archived ? "Restored" : "Archived")} {version.Reference}" : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await Changed.InvokeAsync();
    }

    private async Task RemoveAsync(AssetVersionView version)
    {
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Remove version", new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, "Remove version" },
            { d => d.Message, $"Remove {version.Reference}? A version a job used is archived instead, so that job's record still names it." },
            { d => d.ConfirmText, "Remove" },
        });
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        var result = await Catalog.RemoveAsync(await GetActorAsync(), WorkspaceName, Detail.Name, version.Version, CircuitToken);
        Snackbar.Add(
            result.IsSuccess ? (result.Value ? $"{version.Reference} was used by a job: archived instead of removed" : $"Removed {version.Reference}") : result.Errors[0].Message,
            result.IsSuccess ? Severity.Success : Severity.Error);
        _loadedFor = null;
        await Changed.InvokeAsync();
    }
}
