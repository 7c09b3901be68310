using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.InstanceTypes;
using Studio.Web.Components.Dialogs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// A cluster's instance type catalog (cluster, tab and search in the URL): the list with live availability, create /
/// edit / duplicate / delete and YAML import/export for administrators, and the availability board for everyone.
/// </summary>
public partial class InstanceTypes
{
    private const string NoClusterMessage =
        "Instance types live on clusters as InstanceType resources (amlarc.azureml.com/v1alpha1). Register a cluster and install the extension to manage them.";

    private static readonly IReadOnlyList<string> Tabs = ["catalog", "board"];

    private List<ClusterSummary> _clusters = [];
    private ClusterSummary? _cluster;
    private LiveInstanceTypes? _live;
    private IAsyncDisposable? _following;
    private bool _loaded;

    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterQuery { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    [Inject]
    public required ClusterService ClusterService { get; init; }

    [Inject]
    public required InstanceTypeCatalog Catalog { get; init; }

    [Inject]
    public required IServiceProvider Services { get; init; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnParametersSetAsync()
    {
        if (!_loaded)
        {
            _clusters = [.. (await ClusterService.ListAsync(await GetActorAsync(), CircuitToken)).OrderBy(c => c.Name, StringComparer.Ordinal)];
            _loaded = true;
        }

        var wanted = _clusters.FirstOrDefault(c => c.Name == ClusterQuery) ?? _clusters.FirstOrDefault();
        if (wanted is null || wanted.Id == _cluster?.Id)
        {
            return;
        }

        _cluster = wanted;
        if (_following is not null)
        {
            await _following.DisposeAsync();
        }

        var live = _live = Services.GetRequiredService<LiveInstanceTypes>();
        await live.StartAsync(wanted.Id);
        _following = await FollowClusterViewAsync(wanted.Id, () =>
        {
            live.Refresh();
            return Task.CompletedTask;
        });
        live.Refresh();
    }

    private static string Human(string? cpu, string? memory) =>
        $"{HumanUnits.Describe(cpu, cpu: true) ?? "?"} · {HumanUnits.Describe(memory, cpu: false) ?? "?"}";

    private List<InstanceTypeEntry> Rows(InstanceTypeCatalogView view)
    {
        var q = Search?.Trim();
        return [.. view.Entries
            .Where(e => string.IsNullOrEmpty(q)
                || e.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (e.Draft.NodeSelector ?? new Dictionary<string, string>()).Any(p => $"{p.Key}={p.Value}".Contains(q, StringComparison.OrdinalIgnoreCase))
                || (e.InstanceType?.Summary.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(e => e.Name == InstanceType.DefaultName ? 0 : 1)
            .ThenBy(e => NaturalKey(e.Name), StringComparer.Ordinal)];
    }

    /// <summary>Sorts "cpu-2x" before "cpu-10x": every run of digits is padded.</summary>
    private static string NaturalKey(string name) => System.Text.RegularExpressions.Regex.Replace(name, "[0-9]+", m => m.Value.PadLeft(10, '0'));

    private static string DefaultLabel(InstanceTypeEntry entry) =>
        entry.IsImplicit ? "implicit default"
        : entry.InstanceType is { } it && it.Requests == InstanceType.Default.Requests && it.Limits == InstanceType.Default.Limits && it.NodeSelector.Count == 0 ? "default"
        : "default (customized)";

    private string Source(InstanceTypeEntry entry) =>
        entry.IsImplicit ? "built in, no resource on the cluster"
        : $"{entry.ManagedBy ?? "unknown manager"}{(entry.CreatedAt is { } created ? $" · {HumanUnits.Age(created, Now)} ago" : string.Empty)}";

    private void ChooseCluster(string? name) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["cluster"] = name, ["q"] = null }), replace: false);

    private void SearchChanged(string? value) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("q", string.IsNullOrWhiteSpace(value) ? null : value), replace: true);

    private async Task OpenAsync(InstanceTypeDialogMode mode, InstanceTypeEntry? source)
    {
        if (_live?.View is not { } view)
        {
            return;
        }

        var parameters = new DialogParameters<InstanceTypeDialog>
        {
            { d => d.View, view },
            { d => d.Mode, mode },
            { d => d.Source, source?.Draft },
        };
        var dialog = await Dialogs.ShowAsync<InstanceTypeDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: InstanceTypeEntry saved })
        {
            Snackbar.Add($"Instance type '{saved.Name}' {(mode == InstanceTypeDialogMode.Edit ? "updated" : "created")} on {view.ClusterName}.", Severity.Success);
        }
    }

    private async Task DeleteAsync(InstanceTypeEntry entry)
    {
        if (_live?.View is not { } view)
        {
            return;
        }

        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, $"Delete instance type '{entry.Name}'?" },
            { d => d.Message, entry.Name == InstanceType.DefaultName
                ? $"The resource is deleted from {view.ClusterName}; the implicit default (100m/2Gi requests, 2 CPU/2Gi limits) applies again."
                : $"The InstanceType resource is deleted from {view.ClusterName}. Running workloads keep their pods; new jobs and deployments can no longer choose it." },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>(null, parameters);
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        var actor = await GetActorAsync();
        var result = await Catalog.DeleteAsync(actor, view.ClusterId, entry.Name, CircuitToken);
        Snackbar.Add(result.IsSuccess ? $"Deleted '{entry.Name}'." : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
    }

    private async Task YamlAsync(bool import)
    {
        if (_live?.View is not { } view)
        {
            return;
        }

        var export = await Catalog.ExportAsync(view.ClusterId, null, CircuitToken);
        var actor = await GetActorAsync();
        var parameters = new DialogParameters<InstanceTypeYamlDialog>
        {
            { d => d.ClusterId, view.ClusterId },
            { d => d.ClusterName, view.ClusterName },
            { d => d.Export, export.IsSuccess ? export.Value : "# " + export.Errors[0].Message },
            { d => d.CanImport, actor.IsAdministrator && view.ExtensionInstalled },
            { d => d.StartOnImport, import },
        };
        await Dialogs.ShowAsync<InstanceTypeYamlDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
    }
}
