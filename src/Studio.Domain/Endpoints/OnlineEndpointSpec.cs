namespace Studio.Domain.Endpoints;

/// <summary>What a user asks for an online endpoint (§4.2): its name, Kubernetes compute target, auth mode, description and tags.</summary>
public sealed record OnlineEndpointSpec
{
    public required string Name { get; init; }

    /// <summary>The compute target's name (<c>azureml:</c> prefix removed); required on Kubernetes.</summary>
    public required string Compute { get; init; }

    public EndpointAuthMode AuthMode { get; init; } = EndpointAuthMode.Key;

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The errors of this spec by YAML path (<c>name</c>, <c>compute</c>); empty when valid.</summary>
    public IReadOnlyList<Common.Error> Validate()
    {
        var errors = new List<Common.Error>();
        if (EndpointNames.Validate(Name, "An endpoint name") is { } name)
        {
            errors.Add(Common.Error.Validation("name", name));
        }

        if (string.IsNullOrWhiteSpace(Compute))
        {
            errors.Add(Common.Error.Validation("compute", "An online endpoint on Kubernetes needs a compute target (compute: azureml:<compute target>)."));
        }

        if (Description is { Length: > 1024 })
        {
            errors.Add(Common.Error.Validation("description", "A description is at most 1024 characters."));
        }

        return errors;
    }
}
