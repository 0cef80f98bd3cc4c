package policy_test

// The Go model of a template (input.resources[id].{resourceType,
// properties, outgoingRefs}) against the engine's, dumped from a rule: on
// templates using every intrinsic form the model reproduces, on the
// example templates, and the refusal of every form it does not.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/acme/wellknown/policy"
)

// intrinsicsTemplate uses every intrinsic form model.go and intrinsics.go
// reproduce; each property is one case.
const intrinsicsTemplate = `{
 "Conditions": {"C": {"Fn::Equals": ["a", "b"]}, "D": {"Fn::Equals": ["a", "b"]}},
 "Mappings": {"AWSCloudFrontPartitionHostedZoneIdMap": {"aws": {"zoneId": "Z2FDTNDATAQYW2"}, "aws-cn": {"zoneId": "Z3RFFRIM2A3IF5"}},
              "M": {"k": {"n": 5, "o": {"x": 1}, "l": ["a", 1]}}},
 "Resources": {
  "T": {"Type": "AWS::SNS::Topic"},
  "U": {"Type": "AWS::SNS::Topic", "DependsOn": "T"},
  "R": {"Type": "Custom::X", "DependsOn": ["T", "Nope"], "Condition": "C", "Metadata": {"m": {"Ref": "T"}, "s": "x"},
   "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
   "Properties": {
    "refAcct": {"Ref": "AWS::AccountId"}, "refRegion": {"Ref": "AWS::Region"}, "refPart": {"Ref": "AWS::Partition"},
    "refSuffix": {"Ref": "AWS::URLSuffix"}, "refStackName": {"Ref": "AWS::StackName"}, "refStackId": {"Ref": "AWS::StackId"},
    "refNotif": {"Ref": "AWS::NotificationARNs"}, "refNoValue": {"Ref": "AWS::NoValue"}, "refUnknown": {"Ref": "Nope"},
    "refT": {"Ref": "T"}, "gaArr": {"Fn::GetAtt": ["T", "TopicArn"]}, "gaStr": {"Fn::GetAtt": "T.TopicName"},
    "gaNested": {"Fn::GetAtt": ["T", "A.B"]}, "gaUnknown": {"Fn::GetAtt": ["Nope", "Arn"]},
    "joinLit": {"Fn::Join": ["-", ["a", "b"]]}, "joinEmpty": {"Fn::Join": ["", []]},
    "joinPseudo": {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, {"Ref": "AWS::Region"}]]},
    "joinRef": {"Fn::Join": [",", ["a", {"Ref": "T"}, {"Fn::GetAtt": ["T", "TopicArn"]}]]},
    "joinOne": {"Fn::Join": [",", [{"Ref": "T"}]]},
    "joinNested": {"Fn::Join": ["", ["x", {"Fn::Join": ["", ["y", {"Ref": "T"}]]}]]},
    "joinNestedLit": {"Fn::Join": ["", ["x", {"Fn::Join": ["", ["y", "z"]]}]]},
    "joinSub": {"Fn::Join": ["", ["a", {"Fn::Sub": "${T}"}]]}, "joinUnknownRef": {"Fn::Join": ["", ["a", {"Ref": "Nope"}]]},
    "joinIf": {"Fn::Join": ["", [{"Fn::If": ["C", {"Ref": "T"}, "x"]}, {"Ref": "U"}]]},
    "joinIfNum": {"Fn::Join": ["", [{"Fn::If": ["C", "a", "b"]}, 1]]},
    "joinNonString": {"Fn::Join": ["-", ["a", "b", 1, true]]}, "joinNull": {"Fn::Join": ["", ["a", null]]},
    "joinNoValue": {"Fn::Join": ["", ["a", {"Ref": "AWS::NoValue"}]]}, "joinList": {"Fn::Join": ["", ["a", ["b"]]]},
    "joinObj": {"Fn::Join": ["", ["a", {"k": "v"}]]}, "joinGa": {"Fn::Join": ["-", [{"Fn::GetAtt": "T.TopicName"}, {"Fn::GetAtt": ["Nope", "Arn"]}]]},
    "joinFim": {"Fn::Join": ["", ["a", {"Fn::FindInMap": ["AWSCloudFrontPartitionHostedZoneIdMap", {"Ref": "AWS::Partition"}, "zoneId"]}]]},
    "joinFimMissing": {"Fn::Join": ["", ["a", {"Fn::FindInMap": ["M", "k", "zz"]}]]},
    "subLit": {"Fn::Sub": "plain"}, "subPseudo": {"Fn::Sub": "${AWS::AccountId}-${AWS::Region}-${AWS::Partition}:${AWS::URLSuffix}"},
    "subRef": {"Fn::Sub": "x-${T}-${T.TopicName}"}, "subTwice": {"Fn::Sub": "${T}${T}"},
    "subVars": {"Fn::Sub": ["${A}-${B}", {"A": "lit", "B": {"Ref": "T"}}]},
    "subBoth": {"Fn::Sub": ["${T}-${V}-${U.Arn}", {"V": {"Ref": "U"}}]},
    "subVarsLit": {"Fn::Sub": ["${V}-${AWS::Region}-${W}", {"V": "x", "W": 3}]},
    "subVarShadow": {"Fn::Sub": ["${T}", {"T": "lit"}]},
    "subNested": {"Fn::Sub": ["${A}", {"A": {"Fn::Join": ["", ["x", {"Ref": "T"}]]}}]},
    "subIf": {"Fn::Sub": ["${A}", {"A": {"Fn::If": ["C", "x", "y"]}}]},
    "subEsc": {"Fn::Sub": "${!Lit}"}, "subDollar": {"Fn::Sub": "$T ${!T} $${T}"}, "subUnclosed": {"Fn::Sub": "a${T"},
    "subEmpty": {"Fn::Sub": "${}"}, "subSpace": {"Fn::Sub": "${ T }"}, "subMissing": {"Fn::Sub": "${Nope}"},
    "subUnknownAttr": {"Fn::Sub": "${Nope.Arn}"}, "subUnknownPseudo": {"Fn::Sub": "${AWS::Foo}"},
    "subNoValue": {"Fn::Sub": "${AWS::NoValue}"}, "subStackName": {"Fn::Sub": "${AWS::StackName}"},
    "ifSimple": {"Fn::If": ["C", "yes", "no"]}, "ifNoValue": {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, "no"]},
    "ifRef": {"Fn::If": ["C", {"Ref": "T"}, {"Fn::Join": ["", ["a", {"Ref": "T"}]]}]},
    "ifNest": {"Fn::If": ["C", {"Fn::If": ["D", {"Ref": "T"}, {"Ref": "U"}]}, {"Fn::If": ["D", {"Ref": "T"}, "x"]}]},
    "ifInList": ["x", {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, "y"]}],
    "ifObj": {"Fn::If": ["C", {"k": {"Ref": "T"}}, {"Ref": "AWS::NoValue"}]},
    "ifUnknownCond": {"Fn::If": ["Nope", "a", "b"]},
    "ifInIf": [{"Fn::If": ["C", [{"Fn::If": ["D", {"Ref": "T"}, "z"]}], []]}],
    "ifSub": {"Fn::If": ["C", {"Fn::Sub": "${T}"}, "n"]},
    "fim": {"Fn::FindInMap": ["AWSCloudFrontPartitionHostedZoneIdMap", {"Ref": "AWS::Partition"}, "zoneId"]},
    "fimLit": {"Fn::FindInMap": ["AWSCloudFrontPartitionHostedZoneIdMap", "aws-cn", "zoneId"]},
    "fimNum": {"Fn::FindInMap": ["M", "k", "n"]}, "fimObj": {"Fn::FindInMap": ["M", "k", "o"]}, "fimList": {"Fn::FindInMap": ["M", "k", "l"]},
    "fimMissMap": {"Fn::FindInMap": ["Nope", "k", "n"]}, "fimMissKey": {"Fn::FindInMap": ["M", "k", "zz"]},
    "gso": {"Fn::GetStackOutput": {"StackName": "WellKnownCert-prod", "Region": "us-east-1", "OutputName": "ExportsOutputRefCert"}},
    "gsoOrder": {"Fn::GetStackOutput": {"OutputName": "O", "Region": "us-east-1", "StackName": "S"}},
    "gsoRole": {"Fn::GetStackOutput": {"StackName": "S", "Region": "us-east-1", "RoleArn": "arn:aws:iam::1:role/x", "OutputName": "O"}},
    "gsoRef": {"Fn::GetStackOutput": {"StackName": {"Ref": "T"}, "Region": "us-east-1", "OutputName": "O"}},
    "gsoQuote": {"Fn::GetStackOutput": {"OutputName": "a\"b", "StackName": "é\\"}},
    "gsoInJoin": {"Fn::Join": ["", ["a", {"Fn::GetStackOutput": {"StackName": "S", "Region": "us-east-1", "OutputName": "O"}}]]},
    "num": [1, 1.0, 1.5, 0.1, 1e-7, 1e21, 1e300, 12345678901234567890, 9007199254740993, -0.0, -2.5, 100, 1e2, -9223372036854775809],
    "bool": true, "null": null, "str": "s", "emptyObj": {},
    "nested": {"a": [{"Ref": "T"}, {"b": {"Fn::GetAtt": ["T", "TopicArn"]}}]},
    "notIntrinsic": {"Ref": "T", "x": {"Ref": "T"}},
    "noValueInObj": {"a": {"Ref": "AWS::NoValue"}, "b": 1}
   }
  }
 }
}`

// unsupported are property values the model must refuse, each in a
// template of its own.
var unsupported = []string{
	`{"Fn::Select": [0, ["a"]]}`, `{"Fn::Split": [",", "a,b"]}`, `{"Fn::Base64": "a"}`, `{"Fn::GetAZs": ""}`,
	`{"Fn::ImportValue": "e"}`, `{"Fn::Cidr": ["10.0.0.0/16", 2, 8]}`, `{"Fn::Length": [1]}`, `{"Fn::ToJsonString": {"a": 1}}`,
	`{"Condition": "C"}`, `{"Fn::Equals": ["a", "a"]}`, `{"Fn::Bogus": 1}`, `{"Ref": "P"}`, `{"Fn::Sub": "${P}"}`,
	`{"Ref": 5}`, `{"Ref": "AWS::Foo"}`, `{"Fn::If": ["C", "a"]}`, `{"Fn::Join": "x"}`, `{"Fn::Join": [{"Ref": "AWS::Region"}, ["a"]]}`,
	`{"Fn::Join": ["", [1, {"Ref": "T"}]]}`, `{"Fn::Join": ["", ["a", [{"Ref": "T"}]]]}`, `{"Fn::GetAtt": ["T"]}`, `{"Fn::GetAtt": "T"}`,
	`{"Fn::Sub": 5}`, `{"Fn::Sub": ["${A}", {"A": 1.5}]}`, `{"Fn::Sub": ["${A}", {"A": true}]}`, `{"Fn::Sub": "${AWS::NotificationARNs}"}`,
	`{"Fn::FindInMap": ["M", {"Ref": "T"}, "n"]}`, `{"Fn::FindInMap": ["M", "k", "zz", {"DefaultValue": "d"}]}`,
	`{"Fn::GetStackOutput": "x"}`, `{"Fn::GetStackOutput": {"StackName": "a\nb"}}`, `1e999`,
}

func TestModelMatchesEngine(t *testing.T) {
	requireEngine(t)
	dir := t.TempDir()
	type modelCase struct {
		name string
		raw  []byte
		env  policy.Env
	}
	cases := []modelCase{
		{"intrinsics", []byte(intrinsicsTemplate), policy.Env{AccountID: "111111111111", Region: "eu-west-1"}},
		{"intrinsics in China", []byte(intrinsicsTemplate), policy.Env{AccountID: "222222222222", Region: "cn-north-1"}},
		{"intrinsics in GovCloud", []byte(intrinsicsTemplate), policy.Env{AccountID: "333333333333", Region: "us-gov-west-1"}},
		{"intrinsics without an environment", []byte(intrinsicsTemplate), policy.Env{}},
	}
	for name, b := range baseTemplates(t) {
		cases = append(cases, modelCase{"base " + name, b.raw, b.env})
	}
	var runs []engineRun
	for i, c := range cases {
		f := filepath.Join(dir, fmt.Sprintf("model-%02d.json", i))
		if err := os.WriteFile(f, c.raw, 0o644); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, engineRun{ID: c.name, File: f, Account: c.env.AccountID, Region: c.env.Region, Dump: true})
	}
	results := runEngine(t, dir, nil, runs)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := results[c.name]
			if want.Error != "" {
				t.Fatalf("engine: %s", want.Error)
			}
			got, err := policy.ModelJSON(c.raw, c.env)
			if err != nil {
				t.Fatal(err)
			}
			g, w := normalize(t, got), normalize(t, want.Model)
			if reflect.DeepEqual(g, w) {
				return
			}
			gr, wr := g.(map[string]interface{})["resources"].(map[string]interface{}), w.(map[string]interface{})["resources"].(map[string]interface{})
			for id := range wr {
				if !reflect.DeepEqual(gr[id], wr[id]) {
					diffModel(t, id, gr[id], wr[id])
				}
			}
			for id := range gr {
				if _, ok := wr[id]; !ok {
					t.Errorf("Go model has resource %s, the engine's has not", id)
				}
			}
		})
	}
}

// diffModel reports the differing properties and references of a
// resource.
func diffModel(t *testing.T, id string, got, want interface{}) {
	t.Helper()
	g, _ := got.(map[string]interface{})
	w, _ := want.(map[string]interface{})
	if g == nil || w == nil {
		t.Errorf("%s: Go %s\n  engine %s", id, jsonString(got), jsonString(want))
		return
	}
	gp, _ := g["properties"].(map[string]interface{})
	wp, _ := w["properties"].(map[string]interface{})
	for k := range wp {
		if !reflect.DeepEqual(gp[k], wp[k]) {
			t.Errorf("%s.Properties.%s:\n  Go:     %s\n  engine: %s", id, k, jsonString(gp[k]), jsonString(wp[k]))
		}
	}
	for k := range gp {
		if _, ok := wp[k]; !ok {
			t.Errorf("%s.Properties.%s: only in the Go model", id, k)
		}
	}
	if !reflect.DeepEqual(g["resourceType"], w["resourceType"]) {
		t.Errorf("%s resourceType: Go %v, engine %v", id, g["resourceType"], w["resourceType"])
	}
	gr, _ := g["outgoingRefs"].([]interface{})
	wr, _ := w["outgoingRefs"].([]interface{})
	for i := 0; i < len(gr) || i < len(wr); i++ {
		var a, b interface{}
		if i < len(gr) {
			a = gr[i]
		}
		if i < len(wr) {
			b = wr[i]
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s outgoingRefs[%d] (of %d, engine %d):\n  Go:     %s\n  engine: %s", id, i, len(gr), len(wr), jsonString(a), jsonString(b))
			break
		}
	}
}

// normalize makes numbers float64 on both sides (the engine's JSON and
// OPA's json.Number).
func normalize(t *testing.T, v interface{}) interface{} {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out interface{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestModelRefusesWhatItDoesNotReproduce(t *testing.T) {
	for _, v := range unsupported {
		tpl := `{"Parameters": {"P": {"Type": "String", "Default": "d"}}, "Mappings": {"M": {"k": {"n": 1}}},
 "Resources": {"T": {"Type": "AWS::SNS::Topic"}, "R": {"Type": "Custom::X", "Properties": {"x": ` + v + `}}}}`
		_, err := policy.ModelJSON([]byte(tpl), policy.Env{})
		if err == nil || !strings.Contains(err.Error(), "resource R, Properties.x") {
			t.Errorf("%s: want an error naming resource R, Properties.x; got %v", v, err)
		}
	}
	for _, tpl := range []string{
		`{"Resources": {"R": {"Type": "Custom::X", "UpdatePolicy": {"x": {"Ref": "T"}}}}}`,
		`{"Resources": {"R": {"Type": "Custom::X", "DependsOn": [1]}}}`,
		`{"Resources": {"R": {"Properties": {}}}}`,
		`{"Resources": {"R": {"Type": "Custom::X", "Properties": []}}}`,
		`{"Resources": {"R": "x"}}`,
		`{"Resources": [], "x": 1}`,
		`{"Resources": {"R": {"Type": "A"}, "R": {"Type": "B"}}}`,
		`[1]`, `{"a": 1} {}`, `{`,
	} {
		if _, err := policy.ModelJSON([]byte(tpl), policy.Env{}); err == nil {
			t.Errorf("%s: no error", tpl)
		}
	}
}
