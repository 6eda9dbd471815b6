using System.Globalization;
using System.Text.Json;

namespace Coordinator.Domain.Validation;

/// <summary>
/// A Kubernetes <c>field.Error</c>: renders as <c>&lt;path&gt;: Invalid value: &lt;v&gt;: &lt;detail&gt;</c> or
/// <c>&lt;path&gt;: Required value: &lt;detail&gt;</c> (likewise Not found, Duplicate value, Unsupported value, Forbidden),
/// the detail left out when empty (<c>ErrorBody</c>). Strings are quoted, numbers bare (Go's <c>%q</c> / <c>%d</c>).
/// </summary>
public sealed record FieldError(FieldErrorKind Kind, string Path, string? Value, string Detail)
{
    public static FieldError Invalid(string path, object? value, string detail) => new(FieldErrorKind.Invalid, path, Render(value), detail);

    public static FieldError Required(string path, string detail) => new(FieldErrorKind.Required, path, null, detail);

    public static FieldError NotFound(string path, object? value, string detail = "") => new(FieldErrorKind.NotFound, path, Render(value), detail);

    public static FieldError Duplicate(string path, object? value, string detail = "") => new(FieldErrorKind.Duplicate, path, Render(value), detail);

    /// <summary>A value outside an enumeration; the detail lists the supported values (<c>field.NotSupported</c>).</summary>
    public static FieldError NotSupported(string path, object? value, IEnumerable<string> supported) =>
        new(FieldErrorKind.NotSupported, path, Render(value), "supported values: " + string.Join(", ", supported.Select(v => Render(v))));

    public static FieldError Forbidden(string path, string detail) => new(FieldErrorKind.Forbidden, path, null, detail);

    public override string ToString() => $"{Path}: {Body}";

    /// <summary>The error without its path (<c>Invalid value: 0: must be greater than 0</c>), for a caller that names the field itself.</summary>
    public string Body
    {
        get
        {
            var body = Kind switch
            {
                FieldErrorKind.Required => "Required value",
                FieldErrorKind.Forbidden => "Forbidden",
                FieldErrorKind.NotFound => $"Not found: {Value}",
                FieldErrorKind.Duplicate => $"Duplicate value: {Value}",
                FieldErrorKind.NotSupported => $"Unsupported value: {Value}",
                _ => $"Invalid value: {Value}",
            };
            return Detail.Length == 0 ? body : $"{body}: {Detail}";
        }
    }

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
    NotFound,
    Duplicate,
    NotSupported,
    Forbidden,
}

/// <summary>Outcome of validation: Argo reports only the first error (§1.4); all are kept for diagnostics.</summary>
public sealed record ValidationResult(string RolloutName, IReadOnlyList<FieldError> Errors)
{
    /// <summary>The kind of object validated, named in <see cref="Message"/> (a Rollout, a FleetRollout).</summary>
    public string Kind { get; init; } = "Rollout";

    public bool IsValid => Errors.Count == 0;

    public FieldError? FirstError => Errors.Count > 0 ? Errors[0] : null;

    /// <summary><c>The Rollout "&lt;name&gt;" is invalid: &lt;first field error&gt;</c>, or null when valid.</summary>
    public string? Message => FirstError is { } error ? $"The {Kind} \"{RolloutName}\" is invalid: {error}" : null;

    public static ValidationResult Combine(ValidationResult first, ValidationResult second) =>
        new(first.RolloutName, [.. first.Errors, .. second.Errors]) { Kind = first.Kind };
}
