using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Web.Components.Dialogs;

namespace Studio.Web.Components.Pages;

/// <summary>One compute target of the current workspace: properties, what runs on it, identity, pod security, detach.</summary>
public partial class ComputeDetail
{
    private ComputeSummary? _compute;
    private string? _error;
    private string? _identity;
    private PodSecurityLevel _podSecurity;

    /// <summary>The compute target, once loaded (the detail shell shows the body only then).</summary>
    private ComputeSummary Target => _compute ?? throw new InvalidOperationException("The compute target is not loaded yet.");

    /// <summary>The compute target's name.</summary>
    [Parameter]
    public string Name { get; set; } = string.Empty;

    [Inject]
    public required ComputeService Computes { get; init; }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        var result = await Computes.GetAsync(Workspace.Actor, Workspace.Name, Name, CircuitToken);
        _compute = result.IsSuccess ? result.Value : null;
        _error = result.IsSuccess ? null : result.Errors[0].Message;
        _identity = _compute?.Identity;
        _podSecurity = _compute?.PodSecurity ?? PodSecurityLevel.Restricted;
    }

    private static string PodSecurityText(PodSecurityLevel level) => level == PodSecurityLevel.Baseline ? "baseline (root allowed)" : "restricted";

    private async Task SavePodSecurityAsync()
    {
        var result = await Computes.SetPodSecurityAsync(Workspace.Actor, Workspace.Name, Name, _podSecurity, CircuitToken);
        Snackbar.Add(
            !result.IsSuccess ? result.Errors[0].Message : result.Value.LiveProblem ?? $"Pod security is now {PodSecurityText(result.Value.PodSecurity)} for jobs submitted from now on.",
            !result.IsSuccess ? Severity.Error : result.Value.LiveProblem is null ? Severity.Success : Severity.Warning);
        await LoadAsync();
    }

    private async Task EditInstanceTypesAsync()
    {
        var parameters = new DialogParameters<ComputeInstanceTypesDialog> { { d => d.Compute, _compute! } };
        var dialog = await Dialogs.ShowAsync<ComputeInstanceTypesDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: Studio.Infrastructure.Compute.ComputeSummary updated })
        {
            _compute = _compute! with { DefaultInstanceType = updated.DefaultInstanceType, AllowedInstanceTypes = updated.AllowedInstanceTypes };
            Snackbar.Add("Instance types saved.", Severity.Success);
        }
    }

    private async Task SaveIdentityAsync()
    {
        var result = await Computes.SetIdentityAsync(Workspace.Actor, Workspace.Name, Name, _identity, CircuitToken);
        Snackbar.Add(result.IsSuccess ? "Identity saved." : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private async Task DetachAsync()
    {
        var parameters = new DialogParameters<DetachComputeDialog>
        {
            { d => d.Compute, Name },
            { d => d.Namespace, _compute!.Namespace },
            { d => d.NamespaceCreatedByStudio, _compute.NamespaceCreatedByStudio },
        };
        var dialog = await Dialogs.ShowAsync<DetachComputeDialog>("Detach", parameters);
        if ((await dialog.Result) is not { Canceled: false, Data: ValueTuple<bool, bool> options })
        {
            return;
        }

        var result = await Computes.DetachAsync(Workspace.Actor, Workspace.Name, Name, options.Item1, options.Item2, CircuitToken);
        Snackbar.Add(result.IsSuccess ? result.Value : result.Errors[0].Message, result.IsSuccess ? Severity.Success : Severity.Error);
        if (result.IsSuccess)
        {
            Navigation.NavigateTo(Workspace.ComputeHref);
        }
    }
}
