namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A job's data inputs as planned at submit: what its pods fetch (<see cref="Fetches"/>, one entry per file or
/// snapshot) and the inputs passed as a value instead (<see cref="Direct"/>: <c>mode: direct</c>, name → URL; and an uploaded
/// uri_file data asset, name → its file's path in the pod, which only the asset's record knows).
/// </summary>
public sealed record JobInputsPlan(IReadOnlyList<JobInputPlan> Fetches, IReadOnlyDictionary<string, string> Direct)
{
    public static readonly JobInputsPlan None = new([], new Dictionary<string, string>());

    /// <summary>The spec the pods run: direct inputs become literal values (their signed URLs), the rest stay data inputs.</summary>
    public Studio.Domain.Jobs.JobSpec Apply(Studio.Domain.Jobs.JobSpec spec)
    {
        if (Direct.Count == 0)
        {
            return spec;
        }

        var inputs = new Dictionary<string, string>(spec.Inputs, StringComparer.Ordinal);
        foreach (var (name, url) in Direct)
        {
            inputs[name] = url;
        }

        return spec with { Inputs = inputs, DataInputs = spec.DataInputs.Where(d => !Direct.ContainsKey(d.Key)).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal) };
    }
}
