using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;

namespace Studio.Web.Components.Dialogs;

/// <summary>
/// Creates, edits or duplicates an instance type: nodeSelector rows with key and value suggestions from the cluster's
/// node labels, quantities with human units beside them ("1500Mi = 1.46 GiB"), and per-field errors from Azure ML's rules
/// and the fit against the live nodes, checked as you type; the server's refusals land on their fields too.
/// </summary>
public partial class InstanceTypeDialog
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly List<SelectorRow> _selector = [];
    private List<Error> _warnings = [];
    private List<string> _otherErrors = [];
    private InstanceTypeCheck? _check;
    private string? _name;
    private string? _requestCpu;
    private string? _requestMemory;
    private string? _limitCpu;
    private string? _limitMemory;
    private string? _limitGpu;
    private bool _busy;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required InstanceTypeCatalog Catalog { get; init; }

    /// <summary>The catalog view of the cluster (node labels for suggestions, nodes for the fit).</summary>
    [Parameter, EditorRequired]
    public InstanceTypeCatalogView View { get; set; } = null!;

    [Parameter]
    public InstanceTypeDialogMode Mode { get; set; }

    /// <summary>The instance type to edit or duplicate (null to start empty).</summary>
    [Parameter]
    public InstanceTypeDraft? Source { get; set; }

    private string TitleText => Mode switch
    {
        InstanceTypeDialogMode.Edit => $"Edit instance type '{Source?.Name}'",
        InstanceTypeDialogMode.Duplicate => $"Duplicate '{Source?.Name}'",
        _ => $"New instance type on {View.ClusterName}",
    };

    private IEnumerable<string> OtherErrors => _otherErrors;

    protected override void OnInitialized()
    {
        if (Source is { } s)
        {
            _name = Mode == InstanceTypeDialogMode.Duplicate ? s.Name + "-copy" : s.Name;
            _requestCpu = s.RequestCpu;
            _requestMemory = s.RequestMemory;
            _limitCpu = s.LimitCpu;
            _limitMemory = s.LimitMemory;
            _limitGpu = s.LimitGpu;
            foreach (var (key, value) in s.NodeSelector ?? new Dictionary<string, string>())
            {
                _selector.Add(new SelectorRow { Key = key, Value = value });
            }

            Validate(showRequired: true);
        }
    }

    private static string SelectorField(string? key) => InstanceTypeFields.NodeSelectorKey(key ?? string.Empty);

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    private static string Human(string? quantity, bool cpu) =>
        string.IsNullOrWhiteSpace(quantity) ? (cpu ? "Cores: 500m = 0.5 CPU, 2 = 2 CPU." : "Bytes with a unit: 1500Mi, 4Gi.")
        : HumanUnits.Describe(quantity, cpu) is { } human ? $"{quantity.Trim()} = {human}" : "Not a quantity yet.";

    private string? ValueHint(SelectorRow row)
    {
        if (string.IsNullOrEmpty(row.Key) || !View.NodeLabels.TryGetValue(row.Key, out var values))
        {
            return null;
        }

        var nodes = View.FitNodes.Count(n => n.Labels.TryGetValue(row.Key, out var v) && v == row.Value);
        return string.IsNullOrEmpty(row.Value) ? $"{values.Count} value(s) on nodes" : $"{nodes} node(s) carry it";
    }

    private Task<IEnumerable<string>> SearchKeysAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<string>>(View.NodeLabels.Keys
            .Where(k => string.IsNullOrEmpty(text) || k.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.StartsWith("kubernetes.io/hostname", StringComparison.Ordinal))
            .ThenBy(k => k, StringComparer.Ordinal));

    private Task<IEnumerable<string>> SearchValuesAsync(string? key, string? text) =>
        Task.FromResult<IEnumerable<string>>(key is not null && View.NodeLabels.TryGetValue(key, out var values)
            ? values.Where(v => string.IsNullOrEmpty(text) || v.Contains(text, StringComparison.OrdinalIgnoreCase))
            : []);

    private void NameChanged(string? value)
    {
        _name = value;
        Validate(showRequired: false);
    }

    private void Set(ref string? field, string? value)
    {
        field = value;
        Validate(showRequired: false);
    }

    private void KeyChanged(int index, string? key)
    {
        _selector[index].Key = key;
        Validate(showRequired: false);
    }

    private void ValueChanged(int index, string? value)
    {
        _selector[index].Value = value;
        Validate(showRequired: false);
    }

    private void AddRow() => _selector.Add(new SelectorRow());

    private void RemoveRow(int index)
    {
        _selector.RemoveAt(index);
        Validate(showRequired: false);
    }

    private InstanceTypeDraft Draft() => new(
        _name?.Trim(),
        _selector.Where(r => !string.IsNullOrWhiteSpace(r.Key)).GroupBy(r => r.Key!.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value?.Trim() ?? string.Empty, StringComparer.Ordinal),
        _requestCpu,
        _requestMemory,
        _limitCpu,
        _limitMemory,
        string.IsNullOrWhiteSpace(_limitGpu) || _limitGpu.Trim() == "0" ? null : _limitGpu);

    /// <summary>Runs the rules and the fit; "required" errors appear only for fields touched, or on save.</summary>
    private bool Validate(bool showRequired)
    {
        _errors.Clear();
        _otherErrors = [];
        _warnings = [];
        _check = null;
        var rules = InstanceTypeRules.Validate(Draft());
        foreach (var error in rules.Errors.Where(e => showRequired || !e.Message.EndsWith("is required.", StringComparison.Ordinal)))
        {
            _errors.TryAdd(error.Field ?? string.Empty, error.Message);
        }

        if (rules.IsSuccess)
        {
            _check = InstanceTypeCatalog.Check(rules.Value, View);
            foreach (var error in _check.Errors)
            {
                _errors.TryAdd(error.Field ?? string.Empty, error.Message);
            }

            _warnings = [.. _check.Warnings];
        }

        if (Mode != InstanceTypeDialogMode.Edit && rules.IsSuccess && View.Entries.Any(e => e.Name == rules.Value.Name && !e.IsImplicit))
        {
            _errors.TryAdd(InstanceTypeFields.Name, $"An instance type named '{rules.Value.Name}' already exists on {View.ClusterName}.");
        }

        return rules.IsSuccess && _errors.Count == 0;
    }

    private async Task SaveAsync()
    {
        if (!Validate(showRequired: true))
        {
            return;
        }

        _busy = true;
        try
        {
            var actor = await GetActorAsync();
            var result = Mode == InstanceTypeDialogMode.Edit
                ? await Catalog.UpdateAsync(actor, View.ClusterId, Source!.Name!, Draft(), CircuitToken)
                : await Catalog.CreateAsync(actor, View.ClusterId, Draft(), CircuitToken);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
                return;
            }

            var known = new HashSet<string>(StringComparer.Ordinal)
            {
                InstanceTypeFields.Name, InstanceTypeFields.RequestCpu, InstanceTypeFields.RequestMemory, InstanceTypeFields.LimitCpu,
                InstanceTypeFields.LimitMemory, InstanceTypeFields.LimitGpu, InstanceTypeFields.NodeSelector,
            };
            foreach (var error in result.Errors)
            {
                if (error.Field is { } field && (known.Contains(field) || field.StartsWith(InstanceTypeFields.NodeSelector, StringComparison.Ordinal)))
                {
                    _errors.TryAdd(field, error.Message);
                }
                else
                {
                    _otherErrors.Add(error.Message);
                }
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
