using Microsoft.AspNetCore.Components;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

public partial class Monitoring
{
    private bool _loaded;

    /// <summary>The cluster shown, in the URL.</summary>
    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterName { get; set; }

    /// <summary>The node pool (none: the whole cluster), in the URL.</summary>
    [SupplyParameterFromQuery(Name = "pool")]
    public string? Pool { get; set; }

    /// <summary>The time range (1h, 6h, 24h, 7d), in the URL.</summary>
    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeParameter { get; set; }

    private string RangeKey => RangeParameter is not null && MonitoringModel.Ranges.ContainsKey(RangeParameter) ? RangeParameter : "1h";

    protected override Task OnInitializedAsync() => InitializeSessionAsync();

    protected override async Task OnParametersSetAsync()
    {
        await SelectAsync(ClusterName, Pool, MonitoringModel.Range(RangeKey));
        _loaded = true;
    }

    private void Navigate(string key, string? value) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(key, value), replace: true);
}
