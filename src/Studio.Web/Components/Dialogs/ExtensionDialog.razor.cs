using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Common;
using Studio.Infrastructure.Compute;

namespace Studio.Web.Components.Dialogs;

/// <summary>Extension settings, then the plan (every object with its YAML), then apply.</summary>
public partial class ExtensionDialog
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private bool _training = true;
    private bool _inference;
    private InferenceRouterServiceType _routerType = InferenceRouterServiceType.ClusterIP;
    private bool _insecure = true;
    private string? _sslCname;
    private string? _sslSecret;
    private string? _nodeSelector;
    private bool _gpu;
    private bool _busy;
    private string? _generalError;
    private ExtensionPlan? _plan;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required ExtensionService Extension { get; init; }

    /// <summary>The registered cluster's name.</summary>
    [Parameter, EditorRequired]
    public string Cluster { get; set; } = string.Empty;

    /// <summary>The installed settings. <remarks>Defaults to null: not installed, start from the defaults.</remarks></summary>
    [Parameter]
    public ExtensionSettings? Current { get; set; }

    protected override void OnInitialized()
    {
        if (Current is { } s)
        {
            (_training, _inference, _routerType, _insecure, _sslCname, _sslSecret, _gpu) = (s.EnableTraining, s.EnableInference, s.InferenceRouterServiceType, s.AllowInsecureConnections, s.SslCname, s.SslSecretName, s.GpuDevicePluginExpected);
            _nodeSelector = string.Join(",", s.NodeSelector.Select(p => $"{p.Key}={p.Value}"));
        }
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    private ExtensionSettings Settings() => new()
    {
        EnableTraining = _training,
        EnableInference = _inference,
        InferenceRouterServiceType = _routerType,
        AllowInsecureConnections = _insecure,
        SslCname = _sslCname,
        SslSecretName = _sslSecret,
        GpuDevicePluginExpected = _gpu,
        NodeSelector = (_nodeSelector ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty),
    };

    private async Task PlanAsync() => await RunAsync(async () =>
    {
        var result = await Extension.PlanAsync(await GetActorAsync(), Cluster, Settings(), CircuitToken);
        _plan = result.IsSuccess ? result.Value : null;
        return result;
    });

    private async Task ApplyAsync() => await RunAsync(async () =>
    {
        var result = await Extension.InstallAsync(await GetActorAsync(), Cluster, Settings(), CircuitToken);
        if (result.IsSuccess)
        {
            Dialog.Close(DialogResult.Ok(result.Value));
        }

        return result;
    });

    private async Task RunAsync(Func<Task<Result>> action)
    {
        _errors.Clear();
        _generalError = null;
        _busy = true;
        try
        {
            var result = await action();
            _generalError = FormErrors.Show(result.Errors, _errors) ?? _generalError;
        }
        finally
        {
            _busy = false;
        }
    }
}
