using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// The submit form: fields with per-field messages, import of a CLI v2 YAML file, a pre-flight panel and a preview of
/// the manifests that refresh (debounced) as the fields change; prefilled from a job for clone-and-edit and re-run.
/// </summary>
public partial class JobSubmit
{
    private const int MaxYamlBytes = 256 * 1024;
    private readonly CancellationTokenSource _stop = new();
    private JobFormModel _form = new();
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private Dictionary<string, string> _serviceErrors = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<ComputeSummary> _computes = [];
    private IReadOnlyList<YamlIssue> _unsupported = [];
    private IReadOnlyList<YamlIssue> _importErrors = [];
    private CancellationTokenSource? _refresh;
    private string? _problem;
    private string? _sourceNote;
    private string? _yaml;
    private string? _previewYaml;
    private string? _previewProblem;
    private string? _preflightProblem;
    private JobPreflightReport? _preflight;
    private Dictionary<string, string> _preflightErrors = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<string> _environments = [];
    private readonly string _requestId = Guid.NewGuid().ToString("N");
    private bool _checking;
    private bool _importOpen;
    private bool _importing;
    private bool _submitting;
    private bool _attempted;
    private bool _canSubmit;
    private bool _loaded;
    private bool _showYaml = true;

    /// <summary>A job to prefill from (clone-and-edit, re-run).</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    /// <summary>With <see cref="From"/>: the same job again, unchanged unless the user edits it.</summary>
    [SupplyParameterFromQuery(Name = "rerun")]
    public bool Rerun { get; set; }

    /// <summary>Opens the YAML import panel.</summary>
    [SupplyParameterFromQuery(Name = "import")]
    public bool Import { get; set; }

    [Inject]
    public required ComputeService Computes { get; init; }

    [Inject]
    public required JobSubmissionService JobSubmission { get; init; }

    [Inject]
    public required JobQueryService JobQueries { get; init; }

    [Inject]
    public required EnvironmentService EnvironmentService { get; init; }

    private ComputeSummary? SelectedCompute => _computes.FirstOrDefault(c => string.Equals(c.Name, _form.Compute, StringComparison.OrdinalIgnoreCase));

    private string EnvironmentHelp =>
        _form.Environment is { Length: > 0 } env && _preflight?.Image.Image is { } image && !_form.UseImage ? $"Runs image {image}" : "A named environment of the workspace; it maps to an image.";

    protected override async Task OnInitializedAsync()
    {
        _importOpen = Import;
        await LoadAsync();
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _refresh?.Cancel();
        _refresh?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LoadAsync()
    {
        _problem = null;
        var actor = Workspace.Actor;
        // The workspace's registered versions first (as NAME:VERSION, newest first), then the studio-wide names.
        var environments = await EnvironmentService.ListAsync(actor, Workspace.Name, _stop.Token);
        _environments = environments.IsSuccess ? [.. environments.Value.Select(e => e.Reference)] : [];
        _canSubmit = Workspace.CanSubmit;
        var computes = await Computes.ListAsync(actor, Workspace.Name, _stop.Token);
        _computes = computes.IsSuccess ? computes.Value : [];
        if (!computes.IsSuccess)
        {
            _problem = computes.Errors[0].Message;
        }
        else if (_computes.Count == 0)
        {
            _problem = "This workspace has no compute target yet: an administrator attaches a cluster on the Compute page.";
        }

        if (From is not null)
        {
            var source = await JobQueries.GetAsync(actor, Workspace.Name, From, _stop.Token);
            if (source.IsSuccess)
            {
                _form = JobFormModel.FromSpec(source.Value.Spec);
                _sourceNote = Rerun
                    ? $"The same job as '{From}'. Submit runs it again as a new job; edit anything first if you like."
                    : $"A copy of '{From}'. Change what you need and submit it as a new job.";
            }
            else
            {
                _problem = $"Could not prefill from '{From}': {source.Errors[0].Message}";
            }
        }

        if (_form.Compute is null && _computes.Count > 0)
        {
            _form.Compute = _computes[0].Name;
        }

        _loaded = true;
        Revalidate();
        ScheduleRefresh();
    }

    private bool HasError(string field) => ErrorOf(field) is not null;

    /// <summary>
    /// The message under a field: the service's verdict on the last submit, else the form's own check once the user tried to
    /// submit (or imported a file), else what the pre-flight found about the compute, instance type or environment.
    /// </summary>
    private string? ErrorOf(string field) =>
        _serviceErrors.GetValueOrDefault(field)
        ?? (_attempted ? _errors.GetValueOrDefault(field) : null)
        ?? (field is JobFormFields.Compute or JobFormFields.InstanceType or JobFormFields.Environment || _attempted ? _preflightErrors.GetValueOrDefault(field) : null);

    private void Revalidate() => _errors = _form.Validate();

    /// <summary>A field changed: check again, forget the service's verdict on it, refresh the pre-flight (debounced).</summary>
    private void Set(Action apply)
    {
        apply();
        Changed();
    }

    private void Changed()
    {
        // Verdicts on the previous values are stale now; the pre-flight answers again after the debounce.
        _serviceErrors.Clear();
        _preflightErrors.Clear();
        Revalidate();
        ScheduleRefresh();
    }

    private void ComputeChanged(string? compute) => Set(() =>
    {
        _form.Compute = compute;
        _form.InstanceType = null;
    });

    private void DistributionChanged(DistributionKind kind) => Set(() =>
    {
        _form.Distribution = kind;
        if (kind is DistributionKind.PyTorch or DistributionKind.Mpi)
        {
            _form.ProcessCountPerInstance ??= 1;
        }

        if (kind == DistributionKind.TensorFlow)
        {
            _form.WorkerCount ??= _form.InstanceCount;
            _form.ParameterServerCount ??= 0;
        }
    });

    private void ScheduleRefresh()
    {
        _refresh?.Cancel();
        _refresh?.Dispose();
        _refresh = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var token = _refresh.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(400, token);
                await InvokeAsync(async () =>
                {
                    await RefreshChecksAsync(token);
                    StateHasChanged();
                });
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }, CancellationToken.None);
    }

    private async Task UploadAsync(InputFileChangeEventArgs args)
    {
        var file = args.File;

        if (file.Size > MaxYamlBytes)
        {
            _importErrors = [new YamlIssue("(file)", $"'{file.Name}' is {file.Size / 1024} KiB; a job file is at most {MaxYamlBytes / 1024} KiB.")];
            return;
        }

        using var reader = new StreamReader(file.OpenReadStream(MaxYamlBytes, _stop.Token));
        _yaml = await reader.ReadToEndAsync(_stop.Token);
        await ImportAsync();
    }

    private async Task ImportAsync()
    {
        if (string.IsNullOrWhiteSpace(_yaml))
        {
            return;
        }

        _importing = true;
        await Task.Yield();
        try
        {
            var imported = JobSubmission.ImportYaml(_yaml);
            if (!imported.IsSuccess)
            {
                _importErrors = [.. imported.Errors.Select(e => new YamlIssue(e.Field ?? "(file)", e.Message))];
                _unsupported = [];
                return;
            }

            _importErrors = [];
            _form = JobFormModel.FromSpec(imported.Value.Spec);
            _unsupported = imported.Value.Unsupported;
            _importOpen = false;
            _sourceNote = "The form was filled from the YAML. Check the fields and the pre-flight, then submit.";
            _attempted = true;
            Changed();
        }
        finally
        {
            _importing = false;
        }
    }

    private async Task SubmitAsync()
    {
        if (_submitting)
        {
            return;
        }

        _attempted = true;
        _serviceErrors.Clear();
        Revalidate();
        if (_errors.Count > 0)
        {
            return;
        }

        _submitting = true;
        try
        {
            var result = await JobSubmission.SubmitAsync(Workspace.Actor, Workspace.Name, _form.ToSpec(), _requestId, _stop.Token);
            if (result.IsSuccess)
            {
                Snackbar.Add(result.Value.Created ? $"Job '{result.Value.Name}' submitted." : $"Job '{result.Value.Name}' was already submitted.", Severity.Success);
                Navigation.NavigateTo(Workspace.JobHref(result.Value.Name));
                return;
            }

            ShowServiceErrors(result.Errors);
        }
        finally
        {
            _submitting = false;
        }
    }

    private void ShowServiceErrors(IReadOnlyList<Error> errors)
    {
        _serviceErrors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var general = new List<string>();
        foreach (var error in errors)
        {
            if (JobFormFields.Of(error.Field) is { } field)
            {
                _serviceErrors.TryAdd(field, error.Message);
            }
            else
            {
                general.Add(error.Message);
            }
        }

        _problem = general.Count == 0 ? null : string.Join(" ", general);
    }

    /// <summary>Pre-flight and manifest preview for the form as it is now (called debounced, on the renderer's thread).</summary>
    private async Task RefreshChecksAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_form.Compute))
        {
            _preflight = null;
            _preflightProblem = "Choose a compute target to check capacity, quota and the image.";
            _previewYaml = null;
            _previewProblem = "Choose a compute target to see the manifests.";
            return;
        }

        _checking = true;
        StateHasChanged();
        try
        {
            var actor = await GetActorAsync();
            var spec = _form.ToSpec();
            var preflight = await JobSubmission.PreflightAsync(actor, Workspace.Name, spec, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _preflight = preflight.IsSuccess ? preflight.Value : null;
            _preflightProblem = preflight.IsSuccess ? null : string.Join(" ", preflight.Errors.Select(e => e.Message));
            _preflightErrors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (path, message) in preflight.IsSuccess ? preflight.Value.Errors : new Dictionary<string, string>())
            {
                if (JobFormFields.Of(path) is { } field)
                {
                    _preflightErrors.TryAdd(field == JobFormFields.Environment && _form.UseImage ? JobFormFields.Image : field, message);
                }
            }

            if (_errors.Count > 0 || _preflightErrors.Count > 0)
            {
                _previewYaml = null;
                _previewProblem = "The preview appears once the form is complete and valid.";
                return;
            }

            var preview = await JobSubmission.PreviewManifestsAsync(actor, Workspace.Name, spec, cancellationToken);
            _previewYaml = preview.IsSuccess ? preview.Value : null;
            _previewProblem = preview.IsSuccess ? null : string.Join(" ", preview.Errors.Select(e => e.Message));
        }
        finally
        {
            _checking = false;
        }
    }

    private Task<IEnumerable<string>> SearchEnvironmentsAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(_environments
            .Where(name => string.IsNullOrWhiteSpace(text) || name.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static Color VerdictColour(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => Color.Success,
        FitVerdict.WillQueue => Color.Warning,
        _ => Color.Error,
    };

    private static string VerdictIcon(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => Icons.Material.Filled.CheckCircle,
        FitVerdict.WillQueue => Icons.Material.Filled.HourglassTop,
        _ => Icons.Material.Filled.Block,
    };

    private static string VerdictText(FitVerdict verdict) => verdict switch
    {
        FitVerdict.FitsNow => "Fits now",
        FitVerdict.WillQueue => "Will queue",
        _ => "Never fits",
    };
}
