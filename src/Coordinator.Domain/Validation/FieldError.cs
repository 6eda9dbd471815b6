using System.Globalization;
using System.Text.Json;

namespace Coordinator.Domain.Validation;

/// <summary>
/// A Kubernetes <c>field.Error</c>: renders as <c>&lt;path&gt;: Invalid value: &lt;v&gt;: &lt;detail&gt;</c> or
/// <c>&lt;path&gt;: Required value: &lt;detail&gt;</c>. Strings are quoted, numbers bare (Go's <c>%q</c> / <c>%d</c>).
/// </summary>
public sealed record FieldError(FieldErrorKind Kind, string Path, string? Value, string Detail)
{
    public static FieldError Invalid(string path, object? value, string detail) => new(FieldErrorKind.Invalid, path, Render(value), detail);

    public static FieldError Required(string path, string detail) => new(FieldErrorKind.Required, path, null, detail);

    public override string ToString() => Kind switch
    {
        FieldErrorKind.Required => $"{Path}: Required value: {Detail}",
        _ => $"{Path}: Invalid value: {Value}: {Detail}",
    };

    private static string Render(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        bool b => b ? "true" : "false",
        _ => JsonSerializer.Serialize(value, value.GetType(), RenderOptions),
    };

    private static readonly JsonSerializerOptions RenderOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

public enum FieldErrorKind
{
    Invalid,
    Required,
}

/// <summary>Outcome of validation: Argo reports only the first error (§1.4); all are kept for diagnostics.</summary>
public sealed record ValidationResult(string RolloutName, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public FieldError? FirstError => Errors.Count > 0 ? Errors[0] : null;

    /// <summary><c>The Rollout "&lt;name&gt;" is invalid: &lt;first field error&gt;</c>, or null when valid.</summary>
    public string? Message => FirstError is { } error ? $"The Rollout \"{RolloutName}\" is invalid: {error}" : null;

    public static ValidationResult Combine(ValidationResult first, ValidationResult second) =>
        new(first.RolloutName, [.. first.Errors, .. second.Errors]);
}
