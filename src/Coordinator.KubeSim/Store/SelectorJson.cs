using System.Text;
using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Store;

/// <summary>Turns a metav1.LabelSelector JSON (matchLabels + matchExpressions) into a <see cref="LabelSelector"/>.</summary>
internal static class SelectorJson
{
    public static string ToSelectorString(JsonObject? selector)
    {
        if (selector == null) return "";
        var sb = new StringBuilder(JsonFields.MapToSelectorString(selector["matchLabels"]));
        if (selector["matchExpressions"] is JsonArray exprs)
        {
            foreach (var e in exprs)
            {
                var key = JsonFields.Str(e, "key");
                var op = JsonFields.Str(e, "operator");
                var values = (e?["values"] as JsonArray)?.Select(v => v?.ToString() ?? "").ToArray() ?? [];
                if (sb.Length > 0) sb.Append(',');
                sb.Append(op switch
                {
                    "In" => $"{key} in ({string.Join(",", values)})",
                    "NotIn" => $"{key} notin ({string.Join(",", values)})",
                    "DoesNotExist" => "!" + key,
                    _ => key,
                });
            }
        }
        return sb.ToString();
    }

    /// <summary>Null selects nothing; an empty selector selects everything (like metav1.LabelSelectorAsSelector).</summary>
    public static LabelSelector? Parse(JsonObject? selector, out bool selectsNothing)
    {
        selectsNothing = selector == null;
        return LabelSelector.Parse(ToSelectorString(selector));
    }
}
