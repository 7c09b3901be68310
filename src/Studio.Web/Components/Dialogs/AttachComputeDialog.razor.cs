using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;

namespace Studio.Web.Components.Dialogs;

/// <summary>Attaches a cluster as a compute target: the pre-flight runs first, its results and field errors show in place.</summary>
public partial class AttachComputeDialog
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private string? _name;
    private string? _cluster;
    private Guid? _clusterId;
    private string? _namespace;
    private string? _defaultInstanceType;
    private string? _quotaCpu;
    private string? _quotaMemory;
    private int? _quotaGpu;
    private string? _description;
    private bool _createNamespace;
    private bool _confirmShared;
    private bool _busy;
    private string? _generalError;
    private PreflightReport? _preflight;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required ComputeService Computes { get; init; }

    [Inject]
    public required ClusterService ClusterService { get; init; }

    /// <summary>The workspace to attach to.</summary>
    [Parameter, EditorRequired]
    public string Workspace { get; set; } = string.Empty;

    /// <summary>Names of the registered clusters to choose from. <remarks>Defaults to none.</remarks></summary>
    [Parameter]
    public IReadOnlyList<string> Clusters { get; set; } = [];

    protected override async Task OnInitializedAsync() => await OnClusterChangedAsync(_cluster ?? Clusters.FirstOrDefault());

    /// <summary>The default instance type is picked from the chosen cluster's catalog (a text field if it cannot be resolved).</summary>
    private async Task OnClusterChangedAsync(string? cluster)
    {
        if (!string.Equals(_cluster, cluster, StringComparison.Ordinal))
        {
            // Another cluster has another catalog.
            _defaultInstanceType = null;
        }

        _cluster = cluster;

        var found = cluster is null ? null : await ClusterService.GetAsync(cluster, CircuitToken);
        _clusterId = found is { IsSuccess: true } ? found.Value.Id : null;
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    private AttachComputeRequest Request() => new(
        _name?.Trim(), _cluster, _namespace?.Trim(), _description, string.IsNullOrWhiteSpace(_defaultInstanceType) ? null : _defaultInstanceType.Trim(),
        new NamespaceQuota(string.IsNullOrWhiteSpace(_quotaCpu) ? null : _quotaCpu.Trim(), string.IsNullOrWhiteSpace(_quotaMemory) ? null : _quotaMemory.Trim(), _quotaGpu),
        _createNamespace, _confirmShared);

    private async Task PreflightAsync()
    {
        await RunAsync(async actor =>
        {
            var result = await Computes.PreflightAsync(actor, Workspace, Request(), CircuitToken);
            _preflight = result.IsSuccess ? result.Value : null;
            return result;
        });
    }

    private async Task AttachAsync()
    {
        await RunAsync(async actor =>
        {
            var result = await Computes.AttachAsync(actor, Workspace, Request(), CircuitToken);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
            }

            return result;
        });
    }

    private async Task RunAsync(Func<Actor, Task<Result>> action)
    {
        _errors.Clear();
        _generalError = null;
        _busy = true;
        try
        {
            var result = await action(await GetActorAsync());
            _generalError = FormErrors.Show(result.Errors, _errors) ?? _generalError;
        }
        finally
        {
            _busy = false;
        }
    }
}
