using Microsoft.AspNetCore.Components;
using Studio.Domain;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Web.Model;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Chooses an instance type of a cluster for a job or an endpoint: searchable, each option with its resources and live
/// availability for <see cref="Replicas"/> pods; options outside <see cref="Allowed"/> (the compute target's
/// restriction), invalid ones and ones that cannot fit anywhere are disabled with the reason. Refreshes live as pods and
/// instance types change.
/// </summary>
public partial class InstanceTypePicker
{
    [Inject]
    public required LiveInstanceTypes Live { get; init; }

    private Guid _started;
    private string? _value;
    private string? _valueParameter;

    /// <summary>The cluster whose instance types are offered.</summary>
    [Parameter, EditorRequired]
    public Guid ClusterId { get; set; }

    /// <summary>The chosen instance type's name.</summary>
    [Parameter]
    public string? Value { get; set; }

    [Parameter]
    public EventCallback<string?> ValueChanged { get; set; }

    /// <summary>The compute target's restriction (its instanceTypes); null offers all.</summary>
    [Parameter]
    public IReadOnlyCollection<string>? Allowed { get; set; }

    /// <summary>How many pods the workload runs (availability counts them).</summary>
    [Parameter]
    public int Replicas { get; set; } = 1;

    /// <summary>The workspace placing the workload (for nodes reserved with ML taints).</summary>
    [Parameter]
    public string? Workspace { get; set; }

    /// <summary>The compute target placing the workload (for nodes reserved with ML taints).</summary>
    [Parameter]
    public string? Compute { get; set; }

    [Parameter]
    public string Label { get; set; } = "Instance type";

    [Parameter]
    public bool Disabled { get; set; }

    private string? Helper => Live.View is null
        ? (Live.Problem is null ? "Loading instance types…" : null)
        : !Live.View.ExtensionInstalled
            ? "The Azure ML extension is not installed on this cluster: only the implicit default exists."
            : Allowed is { Count: > 0 } ? $"This compute target allows {Allowed.Count} instance type{(Allowed.Count == 1 ? string.Empty : "s")}." : null;

    protected override async Task OnParametersSetAsync()
    {
        // The choice shows at once; the parent's Value, when it binds one, takes over as soon as it changes.
        if (Value != _valueParameter)
        {
            _valueParameter = Value;
            _value = Value;
        }

        if (_started != ClusterId && ClusterId != Guid.Empty)
        {
            _started = ClusterId;
            await Live.StartAsync(ClusterId, new FitContext(Workspace: Workspace, Compute: Compute));
            await FollowClusterViewsAsync([ClusterId], () =>
            {
                Live.Refresh();
                return Task.CompletedTask;
            });

            // A change between the first view and the subscription (e.g. the informers' first sync) is in the snapshot,
            // not in a batch: recompute once now, so the view never stays on a pre-sync "0 matching nodes".
            Live.Refresh();
        }
    }

    private Task<IEnumerable<string>> SearchAsync(string? text, CancellationToken cancellationToken)
    {
        var entries = Live.View?.Entries ?? [];
        var query = text?.Trim() ?? string.Empty;
        var matches = entries
            .Where(e => query.Length == 0 || e.Name == _value || e.Name.Contains(query, StringComparison.OrdinalIgnoreCase) || (e.InstanceType?.Summary.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(e => IsDisabled(e.Name))
            .ThenBy(e => e.Name == InstanceType.DefaultName ? 0 : 1)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => e.Name);
        if (query.Length > 0 && query == _value)
        {
            // Opening the list on the current value shows every option, not just the one already chosen.
            matches = entries.OrderBy(e => IsDisabled(e.Name)).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Name);
        }

        return Task.FromResult(matches);
    }

    private bool IsDisabled(string? name) => name is null || Option(name).DisabledReason is not null;

    private PickerOption Option(string name)
    {
        var entry = Live.View?.Entries.FirstOrDefault(e => e.Name == name);
        if (entry is null)
        {
            return new PickerOption(name, "—", null, false, "Not in this cluster's catalog.");
        }

        var availability = Live.View!.AvailabilityOf(name);
        var resources = entry.InstanceType is { } it
            ? $"{HumanUnits.Cpu(it.Requests.CpuMillis)}–{HumanUnits.Cpu(it.Limits.CpuMillis)} · {HumanUnits.Bytes(it.Requests.MemoryBytes)}–{HumanUnits.Bytes(it.Limits.MemoryBytes)}" + (it.Limits.Gpus > 0 ? " · " + HumanUnits.Gpus(it.Limits.Gpus) : string.Empty)
            : "invalid";
        string? disabled = null;
        if (!new InstanceTypeRestriction(Allowed).Allows(name))
        {
            disabled = "Not allowed on this compute target.";
        }
        else if (entry.InstanceType is null)
        {
            disabled = "Invalid resource: " + string.Join(" ", entry.Problems.Select(p => p.Message));
        }
        else if (availability is not null && availability.BadgeFor(Replicas) == AvailabilityBadge.CannotFit)
        {
            disabled = Replicas > 1 && availability.ReplicasFitEmpty > 0
                ? $"Cannot fit {Replicas} replicas: at most {availability.ReplicasFitEmpty} fit even on an empty cluster."
                : "Cannot fit anywhere: " + availability.Reason;
        }

        return new PickerOption(name, resources, availability, entry.IsImplicit || name == InstanceType.DefaultName, disabled);
    }

    private async Task OnValueChangedAsync(string? value)
    {
        _value = value;
        await ValueChanged.InvokeAsync(value);
    }

    private sealed record PickerOption(string Name, string Resources, InstanceTypeAvailability? Availability, bool Default, string? DisabledReason);
}
