<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own texts that the qtbase_zh_CN.qm shipped with PySide6 leaves in English (the file dialog's
     labels, which Qt's form writes with an accelerator). Loaded after Qt's file, so it is asked first.
     Compile with: pyside6-lrelease resources/translations/qtbase_extra_zh_CN.ts (tests/ui/test_errors.py
     checks the .qm beside it is the compiled form of this file). -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Look in</source>
        <translation>查找范围</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
    <message>
        <source>Files of type</source>
        <translation>文件类型</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名称</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
</context>
</TS>
