"""Source text of the behaviour harnesses, per target language (data, kept out of the logic).

Every harness takes the index of the first case to run as its only argument, and prints one
line per case: ``@@codex@@ {"i": k, "value": ...}`` or ``@@codex@@ {"i": k, "raised": "Type"}``,
flushed at once, so the driver can tell which case hung or crashed. Values are printed in the
simple canonical form: null, bools, numbers, strings, lists (arrays, lists, sets, tuples) and
``{"__map__": [[key, value], ...]}`` for maps; floats that JSON cannot hold as
``{"__float__": "nan" | "inf" | "-inf"}``. Where the original changed list arguments (Java,
C++, Rust), a returning case's line also holds them after the call: ``"after": [...]``
(verify/compare/mutated.py). The marker keeps the translated code's own prints
out of the results.
"""

MARKER = "@@codex@@ "

JAVA = r"""
import java.lang.reflect.*;
import java.util.*;

public class CodexHarness {
    static Object conv(Object v, Type t) {
        Class<?> c = raw(t);
        if (v == null || c == null || c == Object.class) return v;
        if (v instanceof Number) {
            Number n = (Number) v;
            if (c == int.class || c == Integer.class) return n.intValue();
            if (c == long.class || c == Long.class) return n.longValue();
            if (c == double.class || c == Double.class) return n.doubleValue();
            if (c == float.class || c == Float.class) return n.floatValue();
            if (c == short.class || c == Short.class) return n.shortValue();
            if (c == byte.class || c == Byte.class) return n.byteValue();
            if (c == java.math.BigInteger.class) return java.math.BigInteger.valueOf(n.longValue());
            return v;
        }
        if (v instanceof String && (c == char.class || c == Character.class) && ((String) v).length() == 1) return ((String) v).charAt(0);
        if (v instanceof String && c == char[].class) return ((String) v).toCharArray();
        if (v instanceof List && c.isRecord()) {  // a tuple of mixed kinds (tasks/translate/tuples.py)
            List<?> l = (List<?>) v;
            RecordComponent[] rc = c.getRecordComponents();
            Class<?>[] ts = new Class<?>[rc.length];
            Object[] xs = new Object[rc.length];
            for (int i = 0; i < rc.length; i++) { ts[i] = rc[i].getType(); xs[i] = conv(l.get(i), rc[i].getGenericType()); }
            try { Constructor<?> k = c.getDeclaredConstructor(ts); k.setAccessible(true); return k.newInstance(xs); }
            catch (ReflectiveOperationException e) { throw new IllegalArgumentException(e); }
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            if (c.isArray()) {
                Object arr = Array.newInstance(c.getComponentType(), l.size());
                for (int i = 0; i < l.size(); i++) Array.set(arr, i, conv(l.get(i), c.getComponentType()));
                return arr;
            }
            Type e = arg(t, 0);
            Collection<Object> out = Set.class.isAssignableFrom(c) ? new LinkedHashSet<>() : (Deque.class.isAssignableFrom(c) ? new ArrayDeque<>() : new ArrayList<>());
            for (Object x : l) out.add(conv(x, e));
            return out;
        }
        if (v instanceof Map) {
            Map<Object, Object> out = c.isAssignableFrom(TreeMap.class) && !c.isAssignableFrom(HashMap.class) ? new TreeMap<>() : new LinkedHashMap<>();  // insertion order, as Python's dicts
            for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) out.put(conv(en.getKey(), arg(t, 0)), conv(en.getValue(), arg(t, 1)));
            return out;
        }
        return v;
    }
    static Class<?> raw(Type t) {
        if (t instanceof Class) return (Class<?>) t;
        if (t instanceof ParameterizedType) return (Class<?>) ((ParameterizedType) t).getRawType();
        return Object.class;
    }
    static Type arg(Type t, int i) {
        if (t instanceof ParameterizedType) {
            Type[] a = ((ParameterizedType) t).getActualTypeArguments();
            if (i < a.length) return a[i];
        }
        return Object.class;
    }
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') b.append('\\').append(ch);
            else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
            else b.append(ch);
        }
        return b.append('"').toString();
    }
    static String json(Object v) {
        if (v == null) return "null";
        if (v instanceof Boolean) return v.toString();
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) return "{\"__float__\": \"nan\"}";
            if (Double.isInfinite(d)) return d > 0 ? "{\"__float__\": \"inf\"}" : "{\"__float__\": \"-inf\"}";
            return Double.toString(d);
        }
        if (v instanceof Number) return v.toString();
        if (v instanceof Character) return str(v.toString());
        if (v instanceof String) return str((String) v);
        if (v instanceof Optional) return json(((Optional<?>) v).orElse(null));
        if (v.getClass().isArray()) {
            if (v instanceof char[]) return str(new String((char[]) v));
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < Array.getLength(v); i++) j.add(json(Array.get(v, i)));
            return j.toString();
        }
        if (v instanceof Iterable) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object x : (Iterable<?>) v) j.add(json(x));
            return j.toString();
        }
        if (v instanceof Record) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                try { Method a = rc.getAccessor(); a.setAccessible(true); j.add(json(a.invoke(v))); }
                catch (ReflectiveOperationException e) { j.add("null"); }
            }
            return j.toString();
        }
        if (v instanceof Map) {
            StringJoiner j = new StringJoiner(", ", "{\"__map__\": [", "]}");
            for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) j.add("[" + json(en.getKey()) + ", " + json(en.getValue()) + "]");
            return j.toString();
        }
        return "{\"__repr__\": " + str(String.valueOf(v)) + "}";
    }
    static List<Object> L(Object... xs) { return new ArrayList<>(Arrays.asList(xs)); }
    static Map<Object, Object> M(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
    static void emit(String s) { System.out.println("@@codex@@ " + s); System.out.flush(); }
    static final int[] AFTER = new int[] { $AFTER };
    static String after(Object[] args) {
        if (AFTER.length == 0) return "";
        StringJoiner j = new StringJoiner(", ", ", \"after\": [", "]");
        for (int k : AFTER) j.add(json(args[k]));
        return j.toString();
    }

    public static void main(String[] argv) throws Exception {
        Object[][] cases = new Object[][] { $CASES };
        int start = argv.length > 0 ? Integer.parseInt(argv[0]) : 0;
        Method found = null;
        for (Method m : $CLASS.class.getDeclaredMethods())
            if (m.getName().equals("$FUNC") && m.getParameterCount() == $ARITY) { found = m; break; }
        for (int i = start; i < cases.length; i++) {
            try {
                if (found == null) throw new NoSuchMethodException("$FUNC");
                found.setAccessible(true);
                Type[] types = found.getGenericParameterTypes();
                Object[] args = new Object[types.length];
                for (int k = 0; k < types.length; k++) args[k] = conv(cases[i][k], types[k]);
                Object self = Modifier.isStatic(found.getModifiers()) ? null : $CLASS.class.getDeclaredConstructor().newInstance();
                Object r = found.invoke(self, args);
                emit("{\"i\": " + i + ", \"value\": " + json(r) + after(args) + "}");
            } catch (InvocationTargetException e) {
                emit("{\"i\": " + i + ", \"raised\": " + str(e.getCause().getClass().getSimpleName()) + "}");
            } catch (Throwable e) {
                emit("{\"i\": " + i + ", \"raised\": " + str(e.getClass().getSimpleName()) + "}");
            }
        }
    }
}
"""

JAVASCRIPT = r"""
const __mod = require("./$MODULE");
const __fn = __mod["$FUNC"];
function __canon(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") {
    if (Number.isNaN(v)) return {"__float__": "nan"};
    if (!Number.isFinite(v)) return {"__float__": v > 0 ? "inf" : "-inf"};
    return v;
  }
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (Array.isArray(v) || v instanceof Set) return Array.from(v, __canon);
  if (v instanceof Map) return {"__map__": Array.from(v.entries(), ([k, x]) => [__canon(k), __canon(x)])};
  if (typeof v === "object") return {"__map__": Object.entries(v).map(([k, x]) => [k, __canon(x)])};
  return {"__repr__": String(v)};
}
const __cases = $CASES;
const __start = Number(process.argv[2] || 0);
for (let i = __start; i < __cases.length; i++) {
  let rec;
  try {
    if (typeof __fn !== "function") throw new TypeError("$FUNC is not exported");
    rec = {"i": i, "value": __canon(__fn(...__cases[i]))};
  } catch (e) {
    rec = {"i": i, "raised": (e && e.constructor && e.constructor.name) || "Error"};
  }
  process.stdout.write("@@codex@@ " + JSON.stringify(rec) + "\n");
}
"""

CPP = r"""
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <iomanip>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>
namespace codex_harness {
inline std::string js(const std::string& s);
inline std::string js(const char* s);
inline std::string js(char c);
inline std::string js(bool b);
template <class T> typename std::enable_if<std::is_integral<T>::value && !std::is_same<T, bool>::value && !std::is_same<T, char>::value, std::string>::type js(T v);
template <class T> typename std::enable_if<std::is_floating_point<T>::value, std::string>::type js(T v);
template <class T> std::string js(const std::vector<T>& v);
template <class T> std::string js(const std::set<T>& v);
template <class T> std::string js(const std::unordered_set<T>& v);
template <class K, class V> std::string js(const std::map<K, V>& v);
template <class K, class V> std::string js(const std::unordered_map<K, V>& v);
template <class A, class B> std::string js(const std::pair<A, B>& v);
template <class... T> std::string js(const std::tuple<T...>& v);
template <class T> std::string js(const std::optional<T>& v);

inline std::string js(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += (char)c; }
    else if (c < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += (char)c;
  }
  return o + "\"";
}
inline std::string js(const char* s) { return js(std::string(s)); }
inline std::string js(char c) { return js(std::string(1, c)); }
inline std::string js(bool b) { return b ? "true" : "false"; }
template <class T> typename std::enable_if<std::is_integral<T>::value && !std::is_same<T, bool>::value && !std::is_same<T, char>::value, std::string>::type js(T v) { return std::to_string(v); }
template <class T> typename std::enable_if<std::is_floating_point<T>::value, std::string>::type js(T v) {
  if (std::isnan(v)) return "{\"__float__\": \"nan\"}";
  if (std::isinf(v)) return v > 0 ? "{\"__float__\": \"inf\"}" : "{\"__float__\": \"-inf\"}";
  std::ostringstream o; o << std::setprecision(17) << (double)v;
  std::string s = o.str();
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}
template <class It> std::string seq(It b, It e) {
  std::string o = "["; bool first = true;
  for (; b != e; ++b) { if (!first) o += ", "; first = false; o += js(*b); }
  return o + "]";
}
template <class It> std::string pairs(It b, It e) {
  std::string o = "{\"__map__\": ["; bool first = true;
  for (; b != e; ++b) { if (!first) o += ", "; first = false; o += "[" + js(b->first) + ", " + js(b->second) + "]"; }
  return o + "]}";
}
template <class T> std::string js(const std::vector<T>& v) { return seq(v.begin(), v.end()); }
template <class T> std::string js(const std::set<T>& v) { return seq(v.begin(), v.end()); }
template <class T> std::string js(const std::unordered_set<T>& v) { return seq(v.begin(), v.end()); }
template <class K, class V> std::string js(const std::map<K, V>& v) { return pairs(v.begin(), v.end()); }
template <class K, class V> std::string js(const std::unordered_map<K, V>& v) { return pairs(v.begin(), v.end()); }
template <class A, class B> std::string js(const std::pair<A, B>& v) { return "[" + js(v.first) + ", " + js(v.second) + "]"; }
template <class... T> std::string js(const std::tuple<T...>& v) {
  std::string o = "["; bool first = true;
  std::apply([&](const auto&... x) { ((o += (first ? "" : ", ") + js(x), first = false), ...); }, v);
  return o + "]";
}
template <class T> std::string js(const std::optional<T>& v) { return v ? js(*v) : "null"; }
inline void emit(int i, const std::string& body) { std::printf("@@codex@@ {\"i\": %d, %s}\n", i, body.c_str()); std::fflush(stdout); }
template <class F> struct args_tuple;
template <class R, class... A> struct args_tuple<R (*)(A...)> { using type = std::tuple<std::decay_t<A>...>; };
template <class F> using args_of = typename args_tuple<F>::type;  // a function's arguments, as variables
// ``after``: the changed arguments, printed after the call (verify/compare/mutated.py)
template <class F, class G = std::nullptr_t> void call(int i, F f, G after = nullptr) {
  auto tail = [&]() -> std::string {
    if constexpr (std::is_same<G, std::nullptr_t>::value) return ""; else return ", \"after\": " + after();
  };
  try {
    if constexpr (std::is_void<decltype(f())>::value) { f(); emit(i, "\"value\": null" + tail()); }
    else { auto r = f(); emit(i, "\"value\": " + js(r) + tail()); }
  } catch (const std::exception& e) {
    emit(i, "\"raised\": " + js(std::string(typeid(e).name())));
  } catch (...) {
    emit(i, "\"raised\": \"unknown\"");
  }
}
}  // namespace codex_harness

int main(int argc, char** argv) {
  int start = argc > 1 ? std::atoi(argv[1]) : 0;
  for (int i = start; i < $COUNT; i++) {
    switch (i) {
$CASES
    }
  }
  return 0;
}
"""

RUST = r"""
#[allow(dead_code)]
mod codex_harness {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
    pub trait CxJson { fn cx(&self) -> String; }
    macro_rules! ints { ($($t:ty),*) => { $(impl CxJson for $t { fn cx(&self) -> String { self.to_string() } })* } }
    ints!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
    macro_rules! floats { ($($t:ty),*) => { $(impl CxJson for $t {
        fn cx(&self) -> String {
            let v = *self as f64;
            if v.is_nan() { return "{\"__float__\": \"nan\"}".to_string(); }
            if v.is_infinite() { return if v > 0.0 { "{\"__float__\": \"inf\"}".to_string() } else { "{\"__float__\": \"-inf\"}".to_string() }; }
            format!("{:?}", v)
        } })* } }
    floats!(f32, f64);
    impl CxJson for bool { fn cx(&self) -> String { self.to_string() } }
    impl CxJson for () { fn cx(&self) -> String { "null".to_string() } }
    impl CxJson for str {
        fn cx(&self) -> String {
            let mut o = String::from("\"");
            for c in self.chars() {
                match c { '"' => o.push_str("\\\""), '\\' => o.push_str("\\\\"),
                          c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)), c => o.push(c) }
            }
            o.push('"'); o
        }
    }
    impl CxJson for String { fn cx(&self) -> String { self.as_str().cx() } }
    impl CxJson for char { fn cx(&self) -> String { self.to_string().cx() } }
    impl<T: CxJson + ?Sized> CxJson for &T { fn cx(&self) -> String { (**self).cx() } }
    impl<T: CxJson + ?Sized> CxJson for Box<T> { fn cx(&self) -> String { (**self).cx() } }
    fn seq<'a, T: CxJson + 'a, I: Iterator<Item = &'a T>>(it: I) -> String {
        format!("[{}]", it.map(|x| x.cx()).collect::<Vec<_>>().join(", "))
    }
    fn pairs<'a, K: CxJson + 'a, V: CxJson + 'a, I: Iterator<Item = (&'a K, &'a V)>>(it: I) -> String {
        format!("{{\"__map__\": [{}]}}", it.map(|(k, v)| format!("[{}, {}]", k.cx(), v.cx())).collect::<Vec<_>>().join(", "))
    }
    impl<T: CxJson> CxJson for [T] { fn cx(&self) -> String { seq(self.iter()) } }
    impl<T: CxJson> CxJson for Vec<T> { fn cx(&self) -> String { seq(self.iter()) } }
    impl<T: CxJson> CxJson for VecDeque<T> { fn cx(&self) -> String { seq(self.iter()) } }
    impl<T: CxJson> CxJson for HashSet<T> { fn cx(&self) -> String { seq(self.iter()) } }
    impl<T: CxJson> CxJson for BTreeSet<T> { fn cx(&self) -> String { seq(self.iter()) } }
    impl<K: CxJson, V: CxJson> CxJson for HashMap<K, V> { fn cx(&self) -> String { pairs(self.iter()) } }
    impl<K: CxJson, V: CxJson> CxJson for BTreeMap<K, V> { fn cx(&self) -> String { pairs(self.iter()) } }
    impl<T: CxJson> CxJson for Option<T> { fn cx(&self) -> String { match self { Some(v) => v.cx(), None => "null".to_string() } } }
    impl<A: CxJson, B: CxJson> CxJson for (A, B) { fn cx(&self) -> String { format!("[{}, {}]", self.0.cx(), self.1.cx()) } }
    impl<A: CxJson, B: CxJson, C: CxJson> CxJson for (A, B, C) { fn cx(&self) -> String { format!("[{}, {}, {}]", self.0.cx(), self.1.cx(), self.2.cx()) } }
    pub fn emit(i: usize, body: String) {
        use std::io::Write;
        println!("@@codex@@ {{\"i\": {}, {}}}", i, body);
        std::io::stdout().flush().ok();
    }
    pub fn call<R: CxJson, F: FnOnce() -> R>(i: usize, f: F) {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(r) => emit(i, format!("\"value\": {}", r.cx())),
            Err(_) => emit(i, "\"raised\": \"panic\"".to_string()),
        }
    }
    // a call whose changed arguments are printed after it (verify/compare/mutated.py)
    pub fn done<R: CxJson>(i: usize, r: std::thread::Result<R>, after: Vec<String>) {
        match r {
            Ok(r) => emit(i, format!("\"value\": {}, \"after\": [{}]", r.cx(), after.join(", "))),
            Err(_) => emit(i, "\"raised\": \"panic\"".to_string()),
        }
    }
}

fn main() {
    use codex_harness::CxJson;
    std::panic::set_hook(Box::new(|_| {}));
    let start: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    for i in start..$COUNT {
        match i {
$CASES
            _ => {}
        }
    }
}
"""
