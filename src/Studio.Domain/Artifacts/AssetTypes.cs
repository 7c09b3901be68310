namespace Studio.Domain.Artifacts;

/// <summary>The YAML spellings of <see cref="DataAssetType"/> and <see cref="ModelType"/>.</summary>
public static class AssetTypes
{
    public static string ToYaml(this DataAssetType type) => type == DataAssetType.UriFile ? "uri_file" : "uri_folder";

    public static string ToYaml(this ModelType type) => type switch
    {
        ModelType.MlflowModel => "mlflow_model",
        ModelType.TritonModel => "triton_model",
        _ => "custom_model",
    };

    public static DataAssetType? DataAssetTypeOf(string? yaml) => yaml?.Trim().ToLowerInvariant() switch
    {
        "uri_file" => DataAssetType.UriFile,
        "uri_folder" => DataAssetType.UriFolder,
        _ => null,
    };

    public static ModelType? ModelTypeOf(string? yaml) => yaml?.Trim().ToLowerInvariant() switch
    {
        "custom_model" => ModelType.CustomModel,
        "mlflow_model" => ModelType.MlflowModel,
        "triton_model" => ModelType.TritonModel,
        _ => null,
    };
}
