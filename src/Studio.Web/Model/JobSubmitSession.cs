using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Model;

/// <summary>
/// The submit form's state and logic: the fields (<see cref="Form"/>) with per-field messages from the form's own check,
/// the service's verdict on the last submit and the pre-flight; import of a CLI v2 YAML file; the pre-flight and the
/// manifest preview, refreshed 400 ms after the last change through the callback given to <see cref="OpenAsync"/>;
/// prefilled from a job for clone-and-edit and re-run. One submit per form (an idempotency key per session).
/// </summary>
public sealed partial class JobSubmitSession(
    ComputeService computes,
    JobSubmissionService submission,
    JobQueryService queries,
    EnvironmentService environments,
    IServiceProvider services) : IDisposable
{
    private static readonly TimeSpan RefreshDelay = TimeSpan.FromMilliseconds(400);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _requestId = Guid.NewGuid().ToString("N");
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private Dictionary<string, string> _serviceErrors = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> _preflightErrors = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _refresh;
    private WorkspaceContext? _workspace;
    private Func<Func<Task>, Task> _onRenderer = work => work();
    private int _disposed;

    public JobFormModel Form { get; private set; } = new();

    public IReadOnlyList<ComputeSummary> Computes { get; private set; } = [];

    /// <summary>The workspace's environments as NAME:VERSION (newest first), then the studio-wide names.</summary>
    public IReadOnlyList<string> Environments { get; private set; } = [];

    /// <summary>Keys of the imported file Studio does not run yet, by path, with the reason.</summary>
    public IReadOnlyList<YamlIssue> Unsupported { get; private set; } = [];

    /// <summary>Why the imported file could not be read.</summary>
    public IReadOnlyList<YamlIssue> ImportErrors { get; private set; } = [];

    /// <summary>What stops the form as a whole (no compute target, a failed prefill, a refusal not about one field).</summary>
    public string? Problem { get; private set; }

    /// <summary>Where the values came from (a copy, a re-run, an imported file).</summary>
    public string? SourceNote { get; private set; }

    /// <summary>The YAML to import (pasted or read from a file).</summary>
    public string? Yaml { get; set; }

    public JobPreflightReport? Preflight { get; private set; }

    public string? PreflightProblem { get; private set; }

    public string? PreviewYaml { get; private set; }

    public string? PreviewProblem { get; private set; }

    public bool Loaded { get; private set; }

    public bool Checking { get; private set; }

    public bool Importing { get; private set; }

    public bool Submitting { get; private set; }

    /// <summary>The person tried to submit (or imported a file): the form's own messages show from now on.</summary>
    public bool Attempted { get; private set; }

    /// <summary>Fields with a message under them: the form's own check, the pre-flight's and the last submit's.</summary>
    public int ErrorCount => _errors.Keys.Concat(_preflightErrors.Keys).Concat(_serviceErrors.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    public ComputeSummary? SelectedCompute => Computes.FirstOrDefault(c => string.Equals(c.Name, Form.Compute, StringComparison.OrdinalIgnoreCase));

    public string EnvironmentHelp =>
        Form.Environment is { Length: > 0 } && Preflight?.Image.Image is { } image && !Form.UseImage ? $"Runs image {image}" : "A named environment of the workspace; it maps to an image.";

    /// <summary>
    /// Loads the compute targets and environments of <paramref name="workspace"/>, prefills from job <paramref name="from"/>
    /// when given, and checks the form. <paramref name="onRenderer"/> runs a change on the renderer's context, then renders.
    /// </summary>
    public async Task OpenAsync(WorkspaceContext workspace, string? from, bool rerun, Func<Func<Task>, Task> onRenderer)
    {
        _workspace = workspace;
        _onRenderer = onRenderer;
        Problem = null;
        var found = await environments.ListAsync(workspace.Actor, workspace.Name, _stop.Token);
        Environments = found.IsSuccess ? [.. found.Value.Select(e => e.Reference)] : [];
        await LoadPickersAsync(workspace);
        var targets = await computes.ListAsync(workspace.Actor, workspace.Name, _stop.Token);
        Computes = targets.IsSuccess ? targets.Value : [];
        if (!targets.IsSuccess)
        {
            Problem = targets.Errors[0].Message;
        }
        else if (Computes.Count == 0)
        {
            Problem = "This workspace has no compute target yet: an administrator attaches a cluster on the Compute page.";
        }

        if (from is not null)
        {
            var source = await queries.GetAsync(workspace.Actor, workspace.Name, from, _stop.Token);
            if (source.IsSuccess)
            {
                Form = JobFormModel.FromSpec(source.Value.Spec);
                SourceNote = rerun
                    ? $"The same job as '{from}'. Submit runs it again as a new job; edit anything first if you like."
                    : $"A copy of '{from}'. Change what you need and submit it as a new job.";
            }
            else
            {
                Problem = $"Could not prefill from '{from}': {source.Errors[0].Message}";
            }
        }

        if (Form.Compute is null && Computes.Count > 0)
        {
            Form.Compute = Computes[0].Name;
        }

        Loaded = true;
        Revalidate();
        ScheduleRefresh();
    }

    public bool HasError(string field) => ErrorOf(field) is not null;

    /// <summary>
    /// The message under a field: the service's verdict on the last submit, else the form's own check once the person tried
    /// to submit (or imported a file), else what the pre-flight found about the compute, instance type or environment.
    /// </summary>
    public string? ErrorOf(string field) =>
        (field == JobFormFields.Code ? _filesError : null)
        ?? _serviceErrors.GetValueOrDefault(field)
        ?? (Attempted ? _errors.GetValueOrDefault(field) : null)
        ?? (field is JobFormFields.Compute or JobFormFields.InstanceType or JobFormFields.Environment || Attempted ? _preflightErrors.GetValueOrDefault(field) : null);

    /// <summary>A field changed: check again, forget the verdicts on it, refresh the pre-flight (debounced).</summary>
    public void Set(Action apply)
    {
        apply();
        Changed();
    }

    public void Changed()
    {
        // Verdicts on the previous values are stale now; the pre-flight answers again after the debounce.
        _serviceErrors.Clear();
        _preflightErrors.Clear();
        Revalidate();
        ScheduleRefresh();
    }

    /// <summary>Another compute target: its instance types differ, so the instance type is chosen again.</summary>
    public void ComputeChanged(string? compute) => Set(() =>
    {
        Form.Compute = compute;
        Form.InstanceType = null;
    });

    public void DistributionChanged(DistributionKind kind) => Set(() =>
    {
        Form.Distribution = kind;
        if (kind is DistributionKind.PyTorch or DistributionKind.Mpi)
        {
            Form.ProcessCountPerInstance ??= 1;
        }

        if (kind == DistributionKind.TensorFlow)
        {
            Form.WorkerCount ??= Form.InstanceCount;
            Form.ParameterServerCount ??= 0;
        }
    });

    /// <summary>A file too large to be a job file.</summary>
    public void RejectFile(string message)
    {
        ImportErrors = [new YamlIssue("(file)", message)];
    }

    /// <summary>Fills the form from <see cref="Yaml"/>; true when it did (the import panel may close).</summary>
    public async Task<bool> ImportAsync()
    {
        if (string.IsNullOrWhiteSpace(Yaml))
        {
            return false;
        }

        Importing = true;
        await Task.Yield();
        try
        {
            var imported = submission.ImportYaml(Yaml);
            if (!imported.IsSuccess)
            {
                ImportErrors = [.. imported.Errors.Select(e => new YamlIssue(e.Field ?? "(file)", e.Message))];
                Unsupported = [];
                return false;
            }

            ImportErrors = [];
            var spec = imported.Value.Spec;
            var unsupported = imported.Value.Unsupported.ToList();
            Form = JobFormModel.FromSpec(spec);
            Form.HasFiles = Upload.HasFiles;
            Unsupported = unsupported;
            SourceNote = "The form was filled from the YAML. Check the fields and the pre-flight, then submit." + FilesNote(spec);
            Attempted = true;
            Changed();
            return true;
        }
        finally
        {
            Importing = false;
        }
    }

    /// <summary>Submits the form once it is valid; null when it was not sent (invalid, or a submit is running) or was refused (the messages say why).</summary>
    public async Task<JobSubmitted?> SubmitAsync()
    {
        if (Submitting || _workspace is null)
        {
            return null;
        }

        Attempted = true;
        _serviceErrors.Clear();
        Revalidate();
        if (_errors.Count > 0)
        {
            return null;
        }

        Submitting = true;
        try
        {
            var result = Upload.HasFiles
                ? await SubmitWithFilesAsync(_workspace, Form.ToSpec())
                : await submission.SubmitAsync(_workspace.Actor, _workspace.Name, Form.ToSpec(), _requestId, _stop.Token);
            if (result.IsSuccess)
            {
                return result.Value;
            }

            ShowServiceErrors(result.Errors);
            return null;
        }
        finally
        {
            Submitting = false;
        }
    }

    public IEnumerable<string> SearchEnvironments(string? text) =>
        Environments.Where(name => string.IsNullOrWhiteSpace(text) || name.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));

    private void Revalidate() => _errors = Form.Validate();

    private void ShowServiceErrors(IReadOnlyList<Error> errors)
    {
        _serviceErrors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var general = new List<string>();
        foreach (var error in errors)
        {
            if (Form.FieldOf(error.Field) is { } field)
            {
                _serviceErrors.TryAdd(field, error.Message);
            }
            else
            {
                general.Add(error.Message);
            }
        }

        Problem = general.Count == 0 ? null : string.Join(" ", general);
    }

    private void ScheduleRefresh()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        _refresh?.Cancel();
        _refresh?.Dispose();
        _refresh = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var token = _refresh.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(RefreshDelay, token);
                await _onRenderer(() => RefreshChecksAsync(token));
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }, token);
    }

    /// <summary>Pre-flight and manifest preview for the form as it is now (on the renderer's context).</summary>
    private async Task RefreshChecksAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Form.Compute))
        {
            Preflight = null;
            PreflightProblem = "Choose a compute target to check capacity, quota and the image.";
            PreviewYaml = null;
            PreviewProblem = "Choose a compute target to see the manifests.";
            return;
        }

        Checking = true;
        await _onRenderer(() => Task.CompletedTask);
        try
        {
            var workspace = _workspace!;
            var spec = Form.ToSpec();
            var preflight = await submission.PreflightAsync(workspace.Actor, workspace.Name, spec, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            Preflight = preflight.IsSuccess ? preflight.Value : null;
            PreflightProblem = preflight.IsSuccess ? null : string.Join(" ", preflight.Errors.Select(e => e.Message));
            _preflightErrors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (path, message) in preflight.IsSuccess ? preflight.Value.Errors : new Dictionary<string, string>())
            {
                if (Form.FieldOf(path) is { } field)
                {
                    _preflightErrors.TryAdd(field == JobFormFields.Environment && Form.UseImage ? JobFormFields.Image : field, message);
                }
            }

            if (Upload.HasFiles)
            {
                PreviewYaml = null;
                PreviewProblem = "The job's files are read when it is submitted; its manifests then show on the job page (Manifests tab).";
                return;
            }

            if (_errors.Count > 0 || _preflightErrors.Count > 0)
            {
                PreviewYaml = null;
                PreviewProblem = "The preview appears once the form is complete and valid.";
                return;
            }

            var preview = await submission.PreviewManifestsAsync(workspace.Actor, workspace.Name, spec, _requestId, cancellationToken);
            PreviewYaml = preview.IsSuccess ? preview.Value : null;
            PreviewProblem = preview.IsSuccess ? null : string.Join(" ", preview.Errors.Select(e => e.Message));
        }
        finally
        {
            Checking = false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _refresh?.Cancel();
        _refresh?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        Upload.Dispose();
    }
}
