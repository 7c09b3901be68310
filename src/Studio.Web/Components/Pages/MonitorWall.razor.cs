using Microsoft.AspNetCore.Components;

namespace Studio.Web.Components.Pages;

/// <summary>
/// <c>/monitor/wall?cluster=...&amp;rotate=20&amp;panel=gpus</c>: the wall display. Rotates between panels every
/// <c>rotate</c> seconds (default 20; 0 stops on <c>panel</c>); live like the Monitoring page. Network blips and server
/// restarts are handled by the reconnect script, which keeps retrying and reloads once the server is back.
/// </summary>
public partial class MonitorWall
{
    private static readonly string[] Panels = ["utilisation", "gpus", "workloads"];
    private readonly CancellationTokenSource _stop = new();
    private bool _loaded;
    private int _panel;
    private Task? _rotation;

    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterName { get; set; }

    /// <summary>Seconds per panel (5–3600; 0: no rotation).</summary>
    [SupplyParameterFromQuery(Name = "rotate")]
    public int? Rotate { get; set; }

    /// <summary>The first panel: utilisation, gpus or workloads.</summary>
    [SupplyParameterFromQuery(Name = "panel")]
    public string? Panel { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Session.MaxGpuNodes = 24;
        await InitializeSessionAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        _panel = Math.Max(0, Array.IndexOf(Panels, Panel ?? Panels[0]));
        await SelectAsync(ClusterName, null, TimeSpan.FromHours(1));
        _loaded = true;
        var seconds = Rotate ?? 20;
        if (seconds > 0 && _rotation is null)
        {
            _rotation = RotateAsync(TimeSpan.FromSeconds(Math.Clamp(seconds, 5, 3600)));
        }
    }

    private async Task RotateAsync(TimeSpan every)
    {
        try
        {
            using var timer = new PeriodicTimer(every, Clock);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _panel = (_panel + 1) % Panels.Length;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _stop.Cancel();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
