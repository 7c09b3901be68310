using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Pages;

/// <summary>Compute targets of the current workspace with their state and what runs on them; attach and detach.</summary>
public partial class Compute
{
    private readonly Dictionary<string, ComputeSummary> _live = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<ComputeSummary>? _computes;
    private string? _problem;
    private bool _dialogOpen;

    [Inject]
    public required ComputeService Computes { get; init; }

    [Inject]
    public required ClusterService ClusterService { get; init; }

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _problem = null;
        _live.Clear();
        var (actor, workspace) = (Workspace.Actor, Workspace.Name);
        var result = await Computes.ListAsync(actor, workspace, CircuitToken);
        _computes = result.IsSuccess ? result.Value : [];
        _problem = result.IsSuccess ? null : result.Errors[0].Message;
        foreach (var compute in _computes)
        {
            var detail = await Computes.GetAsync(actor, workspace, compute.Name, CircuitToken);
            if (detail.IsSuccess)
            {
                _live[compute.Name] = detail.Value;
            }
        }
    }

    private static Color StateColour(ComputeTargetState state) => state switch
    {
        ComputeTargetState.Succeeded => Color.Success,
        ComputeTargetState.Failed => Color.Error,
        _ => Color.Info,
    };

    private async Task AttachAsync()
    {
        // A second click while the cluster list loads must not open a second dialog.
        if (_dialogOpen)
        {
            return;
        }

        _dialogOpen = true;
        try
        {
            await ShowAttachDialogAsync();
        }
        finally
        {
            _dialogOpen = false;
        }
    }

    private async Task ShowAttachDialogAsync()
    {
        var clusters = await ClusterService.ListAsync(CircuitToken);
        var parameters = new DialogParameters<AttachComputeDialog>
        {
            { d => d.Workspace, Workspace.Name },
            { d => d.Clusters, [.. clusters.Select(c => c.Name)] },
        };
        var dialog = await Dialogs.ShowAsync<AttachComputeDialog>("Attach cluster", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: ComputeSummary attached })
        {
            Snackbar.Add(Outcome(attached), attached.State == ComputeTargetState.Succeeded ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
    }

    /// <summary>What an attach or retry came to, in words ("is attached and ready", not the state's name).</summary>
    internal static string Outcome(ComputeSummary compute) => compute.State switch
    {
        ComputeTargetState.Succeeded => $"Compute target '{compute.Name}' is attached and ready.",
        ComputeTargetState.Failed => $"Compute target '{compute.Name}' could not be attached{(compute.StateReason is { } reason ? $": {reason}" : ".")}",
        _ => $"Compute target '{compute.Name}' is being attached.",
    };

    /// <summary>"2 jobs running · no endpoints · 1 instance type".</summary>
    internal static string Activity(ComputeSummary live) =>
        $"{Count(live.RunningJobs?.Count ?? 0, "job running", "jobs running", "No jobs running")} · {Count(live.Endpoints?.Count ?? 0, "endpoint", "endpoints", "no endpoints")} · {Count(live.InstanceTypes?.Count ?? 0, "instance type", "instance types", "no instance types")}";

    private static string Count(int count, string one, string many, string none) =>
        count == 0 ? none : $"{count.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";

    private async Task RetryAsync(ComputeSummary compute)
    {
        var request = new AttachComputeRequest(compute.Name, compute.Cluster, compute.Namespace, compute.Description, compute.DefaultInstanceType, compute.Quota, CreateNamespace: compute.NamespaceCreatedByStudio, ConfirmSharedNamespace: true);
        var result = await Computes.AttachAsync(Workspace.Actor, Workspace.Name, request, CircuitToken);
        Snackbar.Add(result.IsSuccess ? Outcome(result.Value) : result.Errors[0].Message, result.IsSuccess && result.Value.State == ComputeTargetState.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private async Task DetachAsync(ComputeSummary compute)
    {
        var parameters = new DialogParameters<DetachComputeDialog>
        {
            { d => d.Compute, compute.Name },
            { d => d.Namespace, compute.Namespace },
            { d => d.NamespaceCreatedByStudio, compute.NamespaceCreatedByStudio },
        };
        var dialog = await Dialogs.ShowAsync<DetachComputeDialog>("Detach", parameters);
        if ((await dialog.Result) is not { Canceled: false, Data: ValueTuple<bool, bool> options })
        {
            return;
        }

        var result = await Computes.DetachAsync(Workspace.Actor, Workspace.Name, compute.Name, options.Item1, options.Item2, CircuitToken);
        Snackbar.Add(result.IsSuccess ? result.Value : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await LoadAsync();
    }
}
