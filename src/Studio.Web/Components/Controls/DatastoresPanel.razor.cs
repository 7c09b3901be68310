using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Datastores;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Controls;

/// <summary>
/// The Datastores tab of the Data page: the workspace's datastores with how jobs name them; for administrators create,
/// change, delete and "test connection", whose result (the cause, when it failed) stays on the row.
/// </summary>
public partial class DatastoresPanel
{
    private readonly Dictionary<string, DatastoreConnectionResult> _tests = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _testing = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<DatastoreView>? _stores;
    private string? _problem;
    private (string Name, DatastoreConnectionResult Result)? _testDetail;
    private bool _dialogOpen;

    [Inject]
    public required DatastoreService Service { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Parameter, EditorRequired]
    public WorkspaceContext Workspace { get; set; } = null!;

    private bool CanManage => Workspace.Role >= Domain.Workspaces.WorkspaceRole.Administrator;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    internal static string KindText(DatastoreKind kind) => kind switch
    {
        DatastoreKind.StudioStore => "Studio store",
        DatastoreKind.AzureBlob => "Azure Blob",
        DatastoreKind.S3 => "S3-compatible",
        _ => "HTTPS",
    };

    internal static string AuthText(DatastoreView store) => store.Auth switch
    {
        DatastoreAuth.None => store.BuiltIn ? "the studio's own" : "none (public)",
        DatastoreAuth.AccountKey => store.HasSecret ? "account key (stored)" : "account key (missing)",
        DatastoreAuth.Sas => store.HasSecret ? "SAS token (stored)" : "SAS token (missing)",
        DatastoreAuth.Identity => "managed identity",
        DatastoreAuth.AccessKey => store.HasSecret ? "access key (stored)" : "access key (missing)",
        _ => store.Auth.ToString(),
    };

    internal static string Where(DatastoreView store)
    {
        if (store.BuiltIn)
        {
            return "the studio's artifact store";
        }

        var where = store.Endpoint ?? string.Empty;
        if (store.Container is { Length: > 0 } container)
        {
            where = $"{where.TrimEnd('/')}/{container}";
        }

        return store.Prefix.Length > 0 ? $"{where.TrimEnd('/')}/{store.Prefix}" : where;
    }

    internal static string UseAs(DatastoreView store) => $"azureml://datastores/{store.Name}/paths/";

    private static bool Matches(DatastoreView store, string filter) =>
        store.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || KindText(store.Kind).Contains(filter, StringComparison.OrdinalIgnoreCase)
        || (store.Endpoint?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false) || (store.Container?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false);

    private async Task CopyAsync(DatastoreView store)
    {
        var copied = await JS.InvokeAsync<bool>("studio.copyText", UseAs(store));
        Snackbar.Add(copied ? $"Copied {UseAs(store)}" : $"Copy it by hand: {UseAs(store)}", copied ? Severity.Success : Severity.Info);
    }

    private async Task LoadAsync()
    {
        var result = await Service.ListAsync(Workspace.Actor, Workspace.Name, CircuitToken);
        _stores = result.IsSuccess ? result.Value : [];
        _problem = result.IsSuccess ? null : result.Errors[0].Message;
    }

    private async Task TestAsync(DatastoreView store)
    {
        if (!_testing.Add(store.Name))
        {
            return;
        }

        try
        {
            var result = await Service.TestAsync(Workspace.Actor, Workspace.Name, store.Name, CircuitToken);
            var outcome = result.IsSuccess ? result.Value : DatastoreConnectionResult.Failure("error", result.Errors[0].Message);
            _tests[store.Name] = outcome;
            _testDetail = (store.Name, outcome);
        }
        finally
        {
            _testing.Remove(store.Name);
        }
    }

    private Task CreateAsync() => OpenAsync(null);

    private Task EditAsync(DatastoreView store) => OpenAsync(store);

    private async Task OpenAsync(DatastoreView? existing)
    {
        if (_dialogOpen)
        {
            return;
        }

        _dialogOpen = true;
        try
        {
            var parameters = new DialogParameters<DatastoreDialog> { { d => d.Workspace, Workspace.Name }, { d => d.Existing, existing } };
            var dialog = await Dialogs.ShowAsync<DatastoreDialog>(existing is null ? "Create datastore" : $"Change datastore {existing.Name}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
            if (await dialog.Result is { Canceled: false, Data: DatastoreView saved })
            {
                Snackbar.Add(existing is null ? $"Created datastore {saved.Name}" : $"Saved datastore {saved.Name}", Severity.Success);
                _tests.Remove(saved.Name);
                await LoadAsync();
            }
        }
        finally
        {
            _dialogOpen = false;
        }
    }

    private async Task DeleteAsync(DatastoreView store)
    {
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Delete datastore", new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, "Delete datastore" },
            { d => d.Message, $"Delete datastore '{store.Name}' and its stored secret? The files in it are not touched; data assets and jobs that name it can no longer read it." },
            { d => d.ConfirmText, "Delete" },
        });
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        var result = await Service.DeleteAsync(Workspace.Actor, Workspace.Name, store.Name, CircuitToken);
        Snackbar.Add(result.IsSuccess ? $"Deleted datastore {store.Name}" : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        _tests.Remove(store.Name);
        await LoadAsync();
    }
}
